import Foundation
public import Testing

/// Compares text with a golden file in `Snapshots/`. With `WSTAP_RECORD=1` in the environment the
/// file is written anew and the test fails, so that a person looks at the change.
public enum GoldenFile {
    /// The repository's `Snapshots/` folder.
    static var snapshotsFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Snapshots")
    }

    /// Records an issue at the first line where `actual` differs from `Snapshots/NAME`.
    public static func assertMatches(
        _ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let url = snapshotsFolder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["WSTAP_RECORD"] == "1" {
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record(
                "recorded \(name) anew: check the diff, then run again without WSTAP_RECORD",
                sourceLocation: sourceLocation)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no golden file \(name): run with WSTAP_RECORD=1 to write it", sourceLocation: sourceLocation)
            return
        }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(actualLines.count, expectedLines.count) {
            let got = index < actualLines.count ? String(actualLines[index]) : "<missing>"
            let want = index < expectedLines.count ? String(expectedLines[index]) : "<missing>"
            if got != want {
                Issue.record(
                    "\(name) line \(index + 1):\n  expected: \(want)\n  actual:   \(got)",
                    sourceLocation: sourceLocation)
                return
            }
        }
    }
}
