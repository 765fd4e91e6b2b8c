import Testing
import WSTapTestSupport
import WSTapUI

/// Compares a rendered screen with a golden file in `Snapshots/` (`ui-NAME-COLSxROWS.txt`): the
/// characters with a `|` after each row (so trailing spaces show), then the colour roles of every cell.
/// With `WSTAP_RECORD=1` the file is written anew and the test fails, so that a person looks.
enum GoldenScreen {
    static func text(of grid: CellGrid) -> String {
        grid.text() + "-- colours (see ColourRole.code; upper case: reversed) --\n" + grid.styleMap()
    }

    static func assertMatches(_ state: UIState, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        let fileName = "ui-\(name)-\(state.size.columns)x\(state.size.rows).txt"
        GoldenFile.assertMatches(text(of: grid), named: fileName, sourceLocation: sourceLocation)
    }
}
