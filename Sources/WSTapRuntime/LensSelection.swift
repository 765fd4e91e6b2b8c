public import NIOCore
public import WSTapCore
public import WSTapFilter
public import WSTapLenses
import WSTapProtobufSchema

/// What `--lens NAME[:FILTER]` (repeatable) and `--proto FILE` choose: the lens that reads every connection, or
/// rules that pick one by the connection's opening (docs/lenses.md).
public enum LensSelection {
    /// The choice the flags make; an error names the flag and says why.
    public static func choice(names: [String], proto: String?, protoMessage: String?) throws(CommandFailure)
        -> LensReader.Choice
    {
        if proto != nil,
            let other = names.first(where: { !$0.contains(":") && !["auto", "protobuf"].contains($0.lowercased()) })
        {
            throw CommandFailure("--proto goes with --lens protobuf (or no --lens), not --lens \(other)")
        }
        var protobuf: (any Lens)?
        if let proto {
            do {
                protobuf = ProtobufLens(schema: try ProtobufSchemaFile.load(path: proto, message: protoMessage))
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        var rules: [LensReader.Rule] = []
        var otherwise: LensReader.Choice?
        for entry in names {
            guard let colon = entry.firstIndex(of: ":") else {
                guard otherwise == nil else {
                    throw CommandFailure("--lens \(entry): a lens for every connection was given already")
                }
                otherwise = try choice(named: entry, protobuf: protobuf)
                continue
            }
            let name = String(entry[..<colon])
            let text = String(entry[entry.index(after: colon)...])
            let filter: FilterExpression
            do {
                filter = try FilterExpression(parsing: text)
            } catch {
                throw CommandFailure("--lens \(name): \(error.description)\n" + error.pointing(into: text))
            }
            let lens: (any Lens)?
            switch try choice(named: name, protobuf: protobuf) {
            case .forced(let chosen): lens = chosen
            case .off: lens = nil
            default: throw CommandFailure("--lens \(entry): name a lens (or none) before the filter, not \(name)")
            }
            rules.append(LensReader.Rule(lens: lens) { filter.matches(subject(of: $0)) })
        }
        if otherwise == nil, let protobuf, !rules.contains(where: { $0.lens?.name == "protobuf" }) {
            // --proto alone: the protobuf lens reads every connection.
            otherwise = .forced(protobuf)
        }
        return rules.isEmpty ? otherwise ?? .automatic : .rules(rules, otherwise: otherwise ?? .automatic)
    }

    /// `auto`, `none` or a lens's name (the protobuf lens with the schema of --proto, when given).
    private static func choice(named name: String, protobuf: (any Lens)?) throws(CommandFailure) -> LensReader.Choice {
        if name.lowercased() == "protobuf", let protobuf { return .forced(protobuf) }
        guard let choice = LensReader.Choice(name: name) else {
            throw CommandFailure(
                "--lens \(name): no such lens; give one of \(LensRegistry.names.joined(separator: ", ")), "
                    + "auto or none")
        }
        return choice
    }

    /// A connection's opening as a filter sees it: its number, Host, path and subprotocol (tests of a
    /// message's content see an empty text message from the client).
    public static func subject(of opened: TrafficEvent.ConnectionOpened) -> FilterSubject {
        FilterSubject(
            connection: opened.connection, direction: .clientToServer, opcodeName: "text", opcode: 1, fin: true,
            reservedBits: [], payload: ByteBuffer(), length: 0, violations: [],
            host: opened.request.headers.first("Host"), path: opened.request.target, subprotocol: opened.subprotocol)
    }
}
