import Foundation
import SwiftProtobuf
public import WSTapLenses

/// Reads the schema of `--proto FILE` for the protobuf lens: a descriptor set (`protoc --include_imports
/// --descriptor_set_out=FILE`, decoded with swift-protobuf's descriptor types), or a `.proto` file, which
/// `protoc` turns into one at run time when it is installed.
public enum ProtobufSchemaFile {
    /// Why a schema could not be read: what, where and why.
    public struct Failure: Error, CustomStringConvertible {
        /// The message for the user.
        public var description: String
    }

    /// The schema in `path` (a `.proto` file, else a descriptor set), reading messages as the type
    /// `message` (full or short name), or as the first message type of the file given when nil.
    public static func load(path: String, message: String?) throws(Failure) -> ProtobufSchema {
        if path.hasSuffix(".proto") {
            return try schema(descriptorSet: try compile(path), message: message, source: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "--proto \(path): cannot read the file (it does not exist or is not readable)")
        }
        return try schema(descriptorSet: [UInt8](data), message: message, source: path)
    }

    /// The schema in the bytes of a descriptor set (`source` names it in errors).
    public static func schema(descriptorSet bytes: [UInt8], message: String?, source: String) throws(Failure)
        -> ProtobufSchema
    {
        let set: Google_Protobuf_FileDescriptorSet
        do {
            set = try Google_Protobuf_FileDescriptorSet(serializedBytes: bytes)
        } catch {
            throw Failure(
                description: "--proto \(source): not a descriptor set (\(error)); make one with "
                    + "protoc --include_imports --descriptor_set_out=FILE, or give the .proto file")
        }
        var messages: [String: [UInt64: ProtobufSchema.Field]] = [:]
        var enums: [String: [Int64: String]] = [:]
        var firstOfLastFile: String?
        for file in set.file {
            let prefix = file.package.isEmpty ? "" : file.package + "."
            for type in file.enumType { add(type, prefix: prefix, to: &enums) }
            for (index, type) in file.messageType.enumerated() {
                add(type, prefix: prefix, messages: &messages, enums: &enums)
                if index == 0 { firstOfLastFile = prefix + type.name }
            }
        }
        let empty = ProtobufSchema(messages: messages, enums: enums, root: "")
        guard let requested = message ?? firstOfLastFile else {
            throw Failure(description: "--proto \(source): the schema has no message type")
        }
        guard let root = empty.messageName(matching: requested) else {
            let names = messages.keys.sorted().prefix(20).joined(separator: ", ")
            throw Failure(
                description: "--proto-message \(requested): no such message type in \(source) (it has \(names))")
        }
        return ProtobufSchema(messages: messages, enums: enums, root: root)
    }

    private static func add(
        _ type: Google_Protobuf_DescriptorProto, prefix: String,
        messages: inout [String: [UInt64: ProtobufSchema.Field]],
        enums: inout [String: [Int64: String]]
    ) {
        let name = prefix + type.name
        var fields: [UInt64: ProtobufSchema.Field] = [:]
        for field in type.field {
            guard field.number > 0, let kind = ProtobufSchema.Kind(rawValue: field.type.rawValue) else { continue }
            let typeName = field.typeName.isEmpty ? nil : String(field.typeName.drop { $0 == "." })
            fields[UInt64(field.number)] = ProtobufSchema.Field(
                name: field.name, kind: kind, typeName: typeName, isRepeated: field.label == .repeated)
        }
        messages[name] = fields
        for nested in type.nestedType { add(nested, prefix: name + ".", messages: &messages, enums: &enums) }
        for nested in type.enumType { add(nested, prefix: name + ".", to: &enums) }
    }

    private static func add(
        _ type: Google_Protobuf_EnumDescriptorProto, prefix: String, to enums: inout [String: [Int64: String]]
    ) {
        var values: [Int64: String] = [:]
        for value in type.value where values[Int64(value.number)] == nil { values[Int64(value.number)] = value.name }
        enums[prefix + type.name] = values
    }

    /// Compiles a `.proto` file into a descriptor set with `protoc` (from PATH).
    static func compile(_ path: String) throws(Failure) -> [UInt8] {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw Failure(description: "--proto \(path): cannot read the file (it does not exist or is not readable)")
        }
        guard let protoc = findProgram("protoc") else {
            throw Failure(
                description: "--proto \(path): protoc is not installed, and a .proto file needs it (Debian: "
                    + "apt-get install protobuf-compiler); or give a descriptor set made elsewhere with "
                    + "protoc --include_imports --descriptor_set_out=FILE")
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wstap-proto-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0 ... .max)).pb")
        defer { try? FileManager.default.removeItem(at: output) }
        let directory = (path as NSString).deletingLastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: protoc)
        process.arguments = [
            "--include_imports", "--descriptor_set_out=\(output.path)", "-I", directory.isEmpty ? "." : directory,
            path,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "--proto \(path): cannot run \(protoc): \(error)")
        }
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: output.path) else {
            let text = String(decoding: said, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "--proto \(path): protoc could not compile it: \(text)")
        }
        return [UInt8](data)
    }

    /// The path of `name` in PATH, if it is there and executable.
    static func findProgram(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = String(directory) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
