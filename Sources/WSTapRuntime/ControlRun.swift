import WSTapProxy

/// `wstap ctl`: one command to a running proxy's control socket, and its answer printed.
public enum ControlRun {
    /// Sends the command made of `words` (a word with a space quoted) to the socket at `path` and prints the
    /// answer's lines and status; a refused command throws its status.
    public static func send(_ words: [String], to path: String) async throws {
        guard !words.isEmpty else { throw CommandFailure("no command given (see wstap ctl --help)") }
        let command = words.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " ")
        let answer: ProxyControlClient.Answer
        do {
            answer = try await ProxyControlClient.send(command, to: path)
        } catch {
            throw CommandFailure("cannot reach the control socket \(path): \(error)")
        }
        for line in answer.lines { print(line) }
        guard answer.succeeded else { throw CommandFailure(answer.status) }
        if !answer.status.isEmpty {
            print(answer.status)
        } else if words.first == "connections" {
            // Said on standard error: standard output stays a list of ids (empty) for scripts.
            StandardStreams.error("no connections\n")
        }
    }
}
