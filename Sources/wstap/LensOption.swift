import ArgumentParser
import WSTapLenses
import WSTapRuntime

/// `--lens NAME[:FILTER]`: which lens reads the messages that `--jsonl` and `--no-tui` print, and the
/// terminal UI shows, on every connection or on those whose opening passes FILTER; `--proto FILE` gives the
/// protobuf lens a schema (docs/lenses.md).
struct LensOption: ParsableArguments {
    @Option(
        name: .customLong("lens"),
        help: ArgumentHelp(
            "The lens that reads every connection's messages (\(LensRegistry.names.joined(separator: ", "))), "
                + "auto (the default: the lens that recognises each connection) or none; NAME:FILTER only on "
                + "connections whose opening passes the filter (~path, ~host, ~proto, ~conn; docs/filters.md). "
                + "Repeatable: the first NAME:FILTER that applies decides, a NAME alone the rest.",
            valueName: "NAME[:FILTER]"))
    var names: [String] = []

    @Option(
        name: .customLong("proto"),
        help: ArgumentHelp(
            "A protobuf schema: a descriptor set (protoc --include_imports --descriptor_set_out=FILE) or a .proto "
                + "file (needs protoc). The protobuf lens then reads with it (every connection's messages, unless "
                + "--lens protobuf:FILTER says which).",
            valueName: "FILE"))
    var proto: String?

    @Option(
        name: .customLong("proto-message"),
        help: ArgumentHelp(
            "The message type of --proto that messages are (full or short name; default: the file's first).",
            valueName: "TYPE"))
    var protoMessage: String?

    @Option(
        name: .customLong("answer-timeout"),
        help: ArgumentHelp(
            "Seconds a request (a call, an ack id, a packet id) waits for its answer before it is told "
                + "unanswered.",
            valueName: "SECONDS"))
    var answerTimeoutSeconds: Double = 30

    /// How long a request waits for its answer.
    var answerTimeout: Duration { .nanoseconds(Int64(answerTimeoutSeconds * 1e9)) }

    /// The lenses chosen.
    func choice() throws -> LensReader.Choice {
        do {
            return try LensSelection.choice(names: names, proto: proto, protoMessage: protoMessage)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func validate() throws {
        guard answerTimeoutSeconds > 0, answerTimeoutSeconds < 1e9 else {
            throw ValidationError("--answer-timeout \(answerTimeoutSeconds): give a number of seconds above 0")
        }
        if protoMessage != nil, proto == nil { throw ValidationError("--proto-message needs --proto FILE") }
        if proto == nil { _ = try choice() }
    }
}
