import WSTapNetwork

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `wstap-examples NAME ARGUMENTS...`: runs one of the examples of the original Racket library's manual,
/// written with WSTapNetwork (each in its own file, importing nothing else). See docs/library.md.
@main
enum ExampleCommand {
    /// Every example: its name on the command line, its arguments, and what runs it.
    static var examples: [(name: String, usage: String, run: ([String]) async throws -> Void)] {
        [
            ("hello-server", "[PORT]", { try await HelloServer.run(port: port($0.first)) }),
            ("service-mapper", "[PORT]", { try await ServiceMapper.run(port: port($0.first)) }),
            ("connect-with-headers", "URL", { try await ConnectWithHeaders.run(url: try url($0.first)) }),
            ("fragmented-send", "URL", { try await FragmentedSend.run(url: try url($0.first)) }),
            (
                "streamed-send-receive", "URL FILE",
                { try await StreamedSendReceive.run(url: try url($0.first), file: try file($0)) }
            ),
            ("close-with-status", "URL", { try await CloseWithStatus.run(url: try url($0.first)) }),
            (
                "capabilities", "URL [rfc6455|hybi00]",
                { try await Capabilities.run(url: try url($0.first), variant: try variant($0)) }
            ),
            (
                "idle-timeout", "[PORT] [SECONDS]",
                { try await IdleTimeout.run(port: port($0.first), seconds: seconds($0)) }
            ),
            ("connection-state", "[PORT]", { try await ConnectionState.run(port: port($0.first)) }),
        ]
    }

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let example = examples.first(where: { $0.name == name }) else {
            let list = examples.map { "  \($0.name) \($0.usage)" }.joined(separator: "\n")
            var standardError = StandardError()
            Swift.print("usage: wstap-examples NAME ARGUMENTS...\n\(list)", to: &standardError)
            exit(2)
        }
        do {
            try await example.run(Array(arguments.dropFirst()))
        } catch {
            var standardError = StandardError()
            Swift.print("wstap-examples \(name): \(error)", to: &standardError)
            exit(1)
        }
    }

    /// A bad command line.
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static func port(_ text: String?) -> Int {
        text.flatMap { Int($0) } ?? 8081
    }

    static func url(_ text: String?) throws -> WebSocketURL {
        guard let text else { throw UsageError(description: "a ws:// or wss:// URL is needed") }
        return try WebSocketURL(text)
    }

    static func file(_ arguments: [String]) throws -> String {
        guard arguments.count > 1 else { throw UsageError(description: "a file to send is needed") }
        return arguments[1]
    }

    static func variant(_ arguments: [String]) throws -> ProtocolVariant {
        switch arguments.dropFirst().first {
        case nil, "rfc6455": return .rfc6455
        case "hybi00": return .hybi00
        case let other?: throw UsageError(description: "'\(other)' is not a protocol variant: rfc6455 or hybi00")
        }
    }

    static func seconds(_ arguments: [String]) -> Int64 {
        arguments.dropFirst().first.flatMap { Int64($0) } ?? 300
    }
}

/// `Swift.print`, then a flush: each line leaves at once even into a pipe (the tests read the examples'
/// output as they run), not when the buffer fills.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(items.map { "\($0)" }.joined(separator: separator), terminator: terminator)
    fflush(nil)
}

/// Standard error, unbuffered, for `print(_:to:)`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        writeAll(Array(string.utf8), to: 2)
    }
}

/// Writes all of `bytes` to a file descriptor, retrying short writes; gives up on an error.
private func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
    var done = 0
    while done < bytes.count {
        let written = bytes[done...].withUnsafeBytes { raw in
            raw.baseAddress.map { write(descriptor, $0, raw.count) } ?? 0
        }
        guard written > 0 else { return }
        done += written
    }
}
