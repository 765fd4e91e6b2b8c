import Testing
import WSTapRuntime

/// How `wstap connect` cuts standard input into lines when it reads it in pieces of any size.
@Suite struct LineSplitterTests {
    /// Every way of cutting the same input into pieces gives the lines `readLine` would give.
    @Test func linesDoNotDependOnWherePiecesEnd() {
        let input = Array("one\ntwo\r\n\r\nthree é\r\nlast without end".utf8)
        let expected = ["one", "two", "", "three é", "last without end"]
        for pieceSize in 1...input.count {
            var splitter = LineSplitter()
            var lines: [String] = []
            var start = 0
            while start < input.count {
                let end = min(input.count, start + pieceSize)
                lines += splitter.lines(in: input[start..<end])
                start = end
            }
            if let rest = splitter.rest() { lines.append(rest) }
            #expect(lines == expected, "pieces of \(pieceSize) bytes")
        }
    }

    @Test func inputEndingWithALineEndHasNoRest() {
        var splitter = LineSplitter()
        #expect(splitter.lines(in: Array("a\nb\n".utf8)) == ["a", "b"])
        #expect(splitter.rest() == nil)
    }

    @Test func invalidUTF8IsRepairedAsReadLineDoes() {
        var splitter = LineSplitter()
        #expect(splitter.lines(in: [0x61, 0xFF, 0x0A]) == ["a\u{FFFD}"])
    }
}
