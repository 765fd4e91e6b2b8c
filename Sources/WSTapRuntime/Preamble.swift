import Foundation

/// The messages `wstap connect --preamble FILE` sends after every connect and reconnect, before standard
/// input's lines: a login or subscribe sequence. One step per line of the file: a line is a message (as a
/// standard input line is), an empty line waits one second, and `wait:REGEX` waits until a message arrives
/// whose text the regular expression matches (anywhere in it).
public struct Preamble: Sendable, Hashable {
    /// One line of the file.
    public enum Step: Sendable, Hashable {
        /// Send this line as a message.
        case send(String)
        /// Wait this long.
        case pause(Duration)
        /// Wait for a message that matches this regular expression.
        case waitFor(String)
    }

    /// The steps, in the file's order.
    public var steps: [Step]

    /// How long a `wait:` step waits at most before the connection is given up (and, with `--reconnect`,
    /// tried again).
    public static let waitLimit = Duration.seconds(30)

    /// Reads a preamble's text; `name` (the file's) goes into errors.
    /// - Throws: ``CommandFailure`` naming the line whose `wait:` is not a regular expression.
    public init(text: String, name: String) throws(CommandFailure) {
        // "\r\n" is one Character: split on it as well as on "\n".
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map(String.init)
        if lines.last == "" { lines.removeLast() }
        steps = []
        for (index, line) in lines.enumerated() {
            if line.isEmpty {
                steps.append(.pause(.seconds(1)))
            } else if line.hasPrefix("wait:") {
                let pattern = String(line.dropFirst(5))
                do {
                    _ = try Regex(pattern)
                } catch {
                    throw CommandFailure("\(name):\(index + 1): wait:\(pattern) is not a regular expression: \(error)")
                }
                steps.append(.waitFor(pattern))
            } else {
                steps.append(.send(line))
            }
        }
    }

    /// Whether the regular expression of a `wait:` step matches anywhere in `text`.
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.firstMatch(in: text)) != nil
    }
}

extension Preamble {
    /// Reads a preamble file.
    /// - Throws: ``CommandFailure`` when the file cannot be read or a `wait:` line is wrong.
    public init(contentsOf path: String) throws(CommandFailure) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CommandFailure("--preamble \(path): cannot read it: \(error.localizedDescription)")
        }
        try self.init(text: text, name: path)
    }
}
