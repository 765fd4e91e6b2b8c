import Testing
import WSTapUI

@Suite struct CellGridTests {
    @Test func wideCharactersTakeTwoColumns() {
        var grid = CellGrid(columns: 10, rows: 1)
        let end = grid.write("a日b", row: 0, column: 0)
        #expect(end == 4)
        #expect(grid[0, 1].width == 2)
        #expect(grid[0, 2].isContinuation)
        #expect(grid.line(0) == "a日b")
    }

    @Test func aWideCharacterThatDoesNotFitIsNotHalfDrawn() {
        var grid = CellGrid(columns: 3, rows: 1)
        grid.write("ab日", row: 0, column: 0)
        #expect(grid.line(0) == "ab")
        #expect(grid[0, 2].width == 1)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = CellGrid(columns: 4, rows: 1)
        grid.write("日本", row: 0, column: 0)
        grid.write("x", row: 0, column: 1)
        #expect(grid.text(edge: "|") == " x本|\n")
    }

    @Test func controlCharactersAreNeverWrittenAsThey() {
        var grid = CellGrid(columns: 6, rows: 1)
        grid.write("a\u{1b}[2J", row: 0, column: 0)
        #expect(grid.line(0) == "a·[2J")
    }

    @Test func combiningMarksStayWithTheirLetter() {
        var grid = CellGrid(columns: 4, rows: 1)
        let end = grid.write("e\u{301}x", row: 0, column: 0)
        #expect(end == 2)
        #expect(grid[0, 0].character == "e\u{301}")
    }

    @Test func writingClipsAtTheEdges() {
        var grid = CellGrid(columns: 4, rows: 2)
        grid.write("abcdef", row: 1, column: 2)
        grid.write("zz", row: 5, column: 0)
        #expect(grid.line(1) == "  ab")
    }
}
