import Testing
import WSTapCore
import WSTapLenses
import WSTapMutation
import WSTapProtobufSchema
import WSTapTestSupport

/// The protobuf lens on messages made by python-protobuf 4.21.12 (Debian's python3-protobuf, by
/// Tests/WSTapCLITests/Peers/protobuf_peer.py: `Message(...).SerializeToString()`), read without a schema
/// and with the descriptor set the same script makes (`FileDescriptorSet.SerializeToString()`).
@Suite struct ProtobufLensTests {
    /// chat.Message{text: "hi", id: 150, deltas: [-1, 2, -3], kind: IMAGE, author: {name: "ana", uid: 2^40},
    /// score: 2.5, blob: 00 ff, f: 7, ok: true, tags: ["a", "b"]}.
    static let first = Fixtures.bytes(
        "0a0268691096011a0301040520012a0c0a03616e61108080808080203100000000000004403a0200ff45070000004801520161520162")
    /// chat.Message{text: "second", id: -5}: a negative int32 takes ten bytes.
    static let second = Fixtures.bytes("0a067365636f6e6410fbffffffffffffffff01")
    /// The descriptor set of chat.proto (package chat: Author, Message with its enum Kind).
    static let descriptorSet = Fixtures.bytes(
        "0a94020a0a636861742e70726f746f12046368617422230a06417574686f72120c0a046e616d65180120012809120b0a0375696418"
            + "022001280422d2010a074d657373616765120c0a0474657874180120012809120a0a026964180220012805120e0a0664656c746173"
            + "18032003281112200a046b696e6418042001280e32122e636861742e4d6573736167652e4b696e64121c0a06617574686f721805"
            + "2001280b320c2e636861742e417574686f72120d0a0573636f7265180620012801120c0a04626c6f6218072001280c12090a0166"
            + "180820012807120a0a026f6b180920012808120c0a0474616773180a20032809221b0a044b696e6412080a0454455854100012090a"
            + "05494d4147451001620670726f746f33")

    @Test func withoutASchemaFieldsByNumberAndTheGuessesSaid() throws {
        let run = LensRun(ProtobufLens())
        let view = try #require(run.one(.binary(Self.first, .serverToClient)))
        #expect(view.problem == nil, "\(view.summary)")
        #expect(view.fields["1 text"] == .string("hi"))
        #expect(view.fields["2 varint"] == .integer(150))
        // sint32 -1, 2, -3 zigzagged: 1, 4, 5 (packed: the reading is a guess, and says so).
        #expect(view.fields["3 packed varints (guess)"] == .list([.integer(1), .integer(4), .integer(5)]))
        #expect(view.fields["4 varint"] == .integer(1))
        let author = try #require(view.fields["5 message (guess)"])
        #expect(author["1 text"] == .string("ana"))
        #expect(author["2 varint"] == .integer(1 << 40))
        #expect(view.fields["6 i64"]?["double"] == .number("2.5"))
        #expect(view.fields["7 bytes"] == .bytes([0x00, 0xff]))
        #expect(view.fields["8 i32"]?["fixed32"] == .integer(7))
        #expect(view.fields["9 varint"] == .integer(1))
        #expect(view.summary.hasPrefix(#"11 fields 1:"hi" 2:150 3:[1,4,5] 4:1 5:{1:"ana""#), "\(view.summary)")
        let negative = try #require(run.one(.binary(Self.second, .serverToClient)))
        #expect(negative.fields["2 varint"] == .number("18446744073709551611"))
    }

    @Test func withTheDescriptorSetNamesTypesEnumsAndRepeatedFields() throws {
        let schema = try ProtobufSchemaFile.schema(descriptorSet: Self.descriptorSet, message: nil, source: "chat.desc")
        // The first message type of the file, unless one is named.
        #expect(schema.root == "chat.Author")
        let message = try ProtobufSchemaFile.schema(
            descriptorSet: Self.descriptorSet, message: "Message", source: "chat.desc")
        #expect(message.root == "chat.Message")
        let run = LensRun(ProtobufLens(schema: message))
        let view = try #require(run.one(.binary(Self.first, .clientToServer)))
        #expect(view.fields["text"] == .string("hi"))
        #expect(view.fields["id"] == .integer(150))
        #expect(view.fields["deltas"] == .list([.integer(-1), .integer(2), .integer(-3)]))
        #expect(view.fields["kind"] == .string("IMAGE"))
        #expect(view.fields["author"]?["name"] == .string("ana"))
        #expect(view.fields["author"]?["uid"] == .integer(1 << 40))
        #expect(view.fields["score"] == .number("2.5"))
        #expect(view.fields["blob"] == .bytes([0x00, 0xff]))
        #expect(view.fields["f"] == .integer(7))
        #expect(view.fields["ok"] == .bool(true))
        #expect(view.fields["tags"] == .list([.string("a"), .string("b")]))
        #expect(view.summary.hasPrefix(#"Message {"text":"hi","id":150,"deltas":[-1,2,-3],"kind":"IMAGE""#))
        #expect(view.method == "Message")
        let negative = try #require(run.one(.binary(Self.second, .clientToServer)))
        #expect(negative.fields["id"] == .integer(-5))
    }

    @Test func fieldsTheSchemaHasNotAreReadWithoutIt() throws {
        let schema = try ProtobufSchemaFile.schema(
            descriptorSet: Self.descriptorSet, message: "chat.Author", source: "chat.desc")
        let view = try #require(LensRun(ProtobufLens(schema: schema)).one(.binary(Self.first, .clientToServer)))
        // Author's field 1 is `name` (a string); 3 and up are unknown to it.
        #expect(view.fields["name"] == .string("hi"))
        #expect(view.fields["3 unknown packed varints (guess)"] != nil, "\(view.fields.json)")
    }

    @Test func badBytesAndBadSchemasAreClearErrors() throws {
        let view = try #require(LensRun(ProtobufLens()).one(.binary([0x0f, 0x01], .clientToServer)))
        #expect(view.problem == "not a protobuf message: wire type 7 (there is none such) at byte 0")
        let cut = try #require(LensRun(ProtobufLens()).one(.binary([0x0a, 0x05, 0x61], .clientToServer)))
        #expect(cut.problem?.contains("field 1 has 5 bytes but 1 are left") == true, "\(cut.problem ?? "")")
        #expect(throws: ProtobufSchemaFile.Failure.self) {
            try ProtobufSchemaFile.schema(descriptorSet: [0xff, 0xff], message: nil, source: "bad.desc")
        }
        do {
            _ = try ProtobufSchemaFile.schema(descriptorSet: Self.descriptorSet, message: "Nope", source: "chat.desc")
            Issue.record("a type that is not there was accepted")
        } catch {
            #expect(error.description.contains("--proto-message Nope: no such message type in chat.desc"))
        }
        do {
            _ = try ProtobufSchemaFile.load(path: "/nonexistent/x.desc", message: nil)
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.description.contains("cannot read the file"))
        }
    }

    @Test func claimedByASubprotocolOnlyNeverByItsMessages() {
        #expect(ProtobufLens().claims(subprotocol: "v1.protobuf.chat"))
        #expect(!ProtobufLens().claims(subprotocol: "mqtt"))
        #expect(!ProtobufLens().claims(firstMessage: .binary(Self.first, .serverToClient)))
    }

    /// With a schema too, changed and cut messages never trap (LensFuzzTests feeds the schema-less lens).
    @Test func changedBytesNeverTrapWithASchema() throws {
        let schema = try ProtobufSchemaFile.schema(
            descriptorSet: Self.descriptorSet, message: "Message", source: "chat.desc")
        let run = LensRun(ProtobufLens(schema: schema))
        var random = FuzzRandom(seed: 0x9B0F)
        for _ in 0..<3_000 {
            var bytes = random.next() % 2 == 0 ? Self.first : Self.second
            for _ in 0..<Int(random.next() % 4) {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            if random.next() % 3 == 0 { bytes = Array(bytes.prefix(Int(random.next() % 40))) }
            for view in run.decode(.binary(bytes, .clientToServer)) {
                #expect(!view.summary.isEmpty)
                _ = view.fields.json
            }
        }
    }
}
