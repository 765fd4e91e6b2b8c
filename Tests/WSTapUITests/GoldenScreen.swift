import Foundation
import Testing
import WSTapUI

/// Compares a rendered screen with a golden file in `Snapshots/` (`ui-NAME-COLSxROWS.txt`): the
/// characters with a `|` after each row (so trailing spaces show), then the colour roles of every cell.
/// With `WSTAP_RECORD=1` the file is written anew and the test fails, so that a person looks.
enum GoldenScreen {
    static var snapshotsFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Snapshots")
    }

    static func text(of grid: CellGrid) -> String {
        grid.text() + "-- colours (see ColourRole.code; upper case: reversed) --\n" + grid.styleMap()
    }

    static func assertMatches(_ state: UIState, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        let fileName = "ui-\(name)-\(state.size.columns)x\(state.size.rows).txt"
        let url = snapshotsFolder.appendingPathComponent(fileName)
        let actual = text(of: grid)
        if ProcessInfo.processInfo.environment["WSTAP_RECORD"] == "1" {
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record(
                "recorded \(fileName) anew: check the diff, then run again without WSTAP_RECORD",
                sourceLocation: sourceLocation)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(
                "no golden file \(fileName): run with WSTAP_RECORD=1 to write it", sourceLocation: sourceLocation)
            return
        }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(actualLines.count, expectedLines.count) {
            let got = index < actualLines.count ? String(actualLines[index]) : "<missing>"
            let want = index < expectedLines.count ? String(expectedLines[index]) : "<missing>"
            if got != want {
                Issue.record(
                    "\(fileName) line \(index + 1):\n  expected: \(want)\n  actual:   \(got)",
                    sourceLocation: sourceLocation)
                return
            }
        }
    }
}
