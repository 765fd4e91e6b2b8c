import ArgumentParser
import NIOCore
import WSTapCore
import WSTapFilter
import WSTapLenses
import WSTapProtobufSchema

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
        if proto != nil,
            let other = names.first(where: { !$0.contains(":") && !["auto", "protobuf"].contains($0.lowercased()) })
        {
            throw ValidationError("--proto goes with --lens protobuf (or no --lens), not --lens \(other)")
        }
        let protobuf = try proto.map { path -> any Lens in
            do {
                return ProtobufLens(schema: try ProtobufSchemaFile.load(path: path, message: protoMessage))
            } catch {
                throw ValidationError("\(error)")
            }
        }
        var rules: [LensReader.Rule] = []
        var otherwise: LensReader.Choice?
        for entry in names {
            guard let colon = entry.firstIndex(of: ":") else {
                guard otherwise == nil else {
                    throw ValidationError("--lens \(entry): a lens for every connection was given already")
                }
                otherwise = try Self.choice(named: entry, protobuf: protobuf)
                continue
            }
            let name = String(entry[..<colon])
            let text = String(entry[entry.index(after: colon)...])
            let filter: FilterExpression
            do {
                filter = try FilterExpression(parsing: text)
            } catch {
                throw ValidationError("--lens \(name): \(error.description)\n" + error.pointing(into: text))
            }
            guard !filter.readsLenses else {
                throw ValidationError(
                    "--lens \(name): ~lens and ~field test what a lens read, so they cannot choose the lens")
            }
            let lens: (any Lens)?
            switch try Self.choice(named: name, protobuf: protobuf) {
            case .forced(let chosen): lens = chosen
            case .off: lens = nil
            default: throw ValidationError("--lens \(entry): name a lens (or none) before the filter, not \(name)")
            }
            rules.append(LensReader.Rule(lens: lens) { filter.matches(Self.subject(of: $0)) })
        }
        if otherwise == nil, let protobuf, !rules.contains(where: { $0.lens?.name == "protobuf" }) {
            // --proto alone: the protobuf lens reads every connection.
            otherwise = .forced(protobuf)
        }
        return rules.isEmpty ? otherwise ?? .automatic : .rules(rules, otherwise: otherwise ?? .automatic)
    }

    /// `auto`, `none` or a lens's name (the protobuf lens with the schema of --proto, when given).
    private static func choice(named name: String, protobuf: (any Lens)?) throws -> LensReader.Choice {
        if name.lowercased() == "protobuf", let protobuf { return .forced(protobuf) }
        guard let choice = LensReader.Choice(name: name) else {
            throw ValidationError(
                "--lens \(name): no such lens; give one of \(LensRegistry.names.joined(separator: ", ")), "
                    + "auto or none")
        }
        return choice
    }

    /// A connection's opening as a filter sees it: its number, Host, path and subprotocol (tests of a
    /// message's content see an empty text message from the client).
    static func subject(of opened: TrafficEvent.ConnectionOpened) -> FilterSubject {
        FilterSubject(
            connection: opened.connection, direction: .clientToServer, opcodeName: "text", opcode: 1, fin: true,
            reservedBits: [], payload: ByteBuffer(), length: 0, violations: [],
            host: opened.request.headers.first("Host"), path: opened.request.target, subprotocol: opened.subprotocol)
    }

    func validate() throws {
        guard answerTimeoutSeconds > 0, answerTimeoutSeconds < 1e9 else {
            throw ValidationError("--answer-timeout \(answerTimeoutSeconds): give a number of seconds above 0")
        }
        if protoMessage != nil, proto == nil { throw ValidationError("--proto-message needs --proto FILE") }
        if proto == nil { _ = try choice() }
    }
}
