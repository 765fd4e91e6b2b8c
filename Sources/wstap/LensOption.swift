import ArgumentParser
import WSTapLenses
import WSTapProtobufSchema

/// `--lens NAME`: which lens reads the messages that `--jsonl` and `--no-tui` print, and the terminal UI
/// shows; `--proto FILE` gives the protobuf lens a schema (docs/lenses.md).
struct LensOption: ParsableArguments {
    @Option(
        name: .customLong("lens"),
        help: ArgumentHelp(
            "The lens that reads every connection's messages (\(LensRegistry.names.joined(separator: ", "))), "
                + "auto (the default: the lens that recognises each connection) or none.",
            valueName: "NAME"))
    var name: String?

    @Option(
        name: .customLong("proto"),
        help: ArgumentHelp(
            "A protobuf schema: a descriptor set (protoc --include_imports --descriptor_set_out=FILE) or a .proto "
                + "file (needs protoc). The protobuf lens then reads every connection's messages with it.",
            valueName: "FILE"))
    var proto: String?

    @Option(
        name: .customLong("proto-message"),
        help: ArgumentHelp(
            "The message type of --proto that messages are (full or short name; default: the file's first).",
            valueName: "TYPE"))
    var protoMessage: String?

    /// The lenses chosen.
    func choice() throws -> LensReader.Choice {
        guard let choice = LensReader.Choice(name: name) else {
            throw ValidationError(
                "--lens \(name ?? ""): no such lens; give one of \(LensRegistry.names.joined(separator: ", ")), "
                    + "auto or none")
        }
        guard let proto else { return choice }
        switch name?.lowercased() {
        case nil, "auto", "protobuf": break
        default: throw ValidationError("--proto goes with --lens protobuf (or no --lens), not --lens \(name ?? "")")
        }
        do {
            return .forced(ProtobufLens(schema: try ProtobufSchemaFile.load(path: proto, message: protoMessage)))
        } catch {
            throw ValidationError(error.description)
        }
    }

    func validate() throws {
        guard LensReader.Choice(name: name) != nil else { return _ = try choice() }
        if protoMessage != nil, proto == nil { throw ValidationError("--proto-message needs --proto FILE") }
    }
}
