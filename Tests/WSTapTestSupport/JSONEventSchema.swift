public import Foundation
public import Testing

/// Checks JSON lines wstap printed against docs/json-events.schema.json (the one definition of its JSON
/// events), through scripts/check-json-events.py and Debian's python3-jsonschema (scripts/test.sh
/// installs it).
public enum JSONEventSchema {
    /// The repository's folder.
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The lines that do not fit the schema (or are not JSON), one message each; empty when all fit. An
    /// empty `lines` is a problem too: a check of nothing proves nothing.
    public static func problems(in lines: String) throws -> [String] {
        guard !lines.isEmpty else { return ["no JSON lines to check"] }
        let checker = repository.appendingPathComponent("scripts/check-json-events.py").path
        let result = try PeerProcess.run(PeerProcess.python, [checker], input: Data(lines.utf8))
        guard result.status != 0 else { return [] }
        let messages = result.text.split(separator: "\n").map(String.init)
        return messages.isEmpty ? ["the checker failed (status \(result.status)): \(result.stderr)"] : messages
    }

    /// Records an issue for each line of `lines` that does not fit the schema.
    public static func expectValid(
        _ lines: String, _ origin: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            for problem in try problems(in: lines) {
                Issue.record("\(origin()): \(problem)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("cannot check the JSON lines: \(error)", sourceLocation: sourceLocation)
        }
    }
}
