import Foundation
import NIOCore
import Testing
import WSTapCompression
import WSTapCore

@testable import WSTapPipeline

/// A message changed on its way, with permessage-deflate between a real compressor (the sender) and a real
/// decompressor (the receiver): the receiver reads the change, and every later message too, although the
/// sender's later messages refer back to bytes the receiver never got.
@Suite struct MessageRewriterTests {
    /// The two ends of one direction, compressing and inflating as real endpoints do.
    struct Ends {
        let sender: PerMessageDeflateCompressor
        let receiver: PerMessageDeflateDecompressor

        init(_ parameters: PerMessageDeflateParameters) throws {
            sender = try PerMessageDeflateCompressor(agreed: parameters, sender: .client)
            receiver = try PerMessageDeflateDecompressor(agreed: parameters, sender: .client, maxMessageSize: 1 << 20)
        }

        /// The frames the sender writes for `text`, in `parts` fragments, masked (a client's).
        func send(_ text: String, parts: Int = 1) throws -> [ByteBuffer] {
            let bytes = Array(text.utf8)
            let size = (bytes.count + parts - 1) / parts
            var frames: [ByteBuffer] = []
            for index in 0..<parts {
                let part = bytes[min(index * size, bytes.count)..<min((index + 1) * size, bytes.count)]
                let isFinal = index == parts - 1
                let payload = try sender.compressFragment(ByteBuffer(bytes: part), isFinal: isFinal)
                let spec = FrameSpec(
                    fin: isFinal, reservedBits: index == 0 ? .rsv1 : [], opcode: index == 0 ? .text : .continuation,
                    mask: .random, payload: Array(payload.readableBytesView))
                frames.append(ByteBuffer(bytes: try FrameEncoder.encode(spec)))
            }
            return frames
        }

        /// What the receiver reads from the frames it gets.
        func receive(_ frames: [ByteBuffer]) throws -> String {
            var text = ""
            for bytes in frames {
                let frame = try #require(WholeFrame(bytes))
                #expect(frame.header.isMasked, "a client's frames stay masked")
                let plain = try receiver.decompressFragment(frame.payload, isFinal: frame.header.fin)
                text += String(decoding: plain.readableBytesView, as: UTF8.self)
            }
            return text
        }
    }

    static let withContext = PerMessageDeflateParameters()
    static var withoutContext: PerMessageDeflateParameters {
        var parameters = PerMessageDeflateParameters()
        parameters.clientNoContextTakeover = true
        return parameters
    }

    /// Messages that repeat each other, so that each one refers back into the ones before.
    static let messages = (1...6).map {
        "{\"user\":\"alice\",\"role\":\"user\",\"seq\":\($0),\"text\":\"hello again\"}"
    }

    @Test func aReplacedMessageAndEveryLaterOneInflate() throws {
        let ends = try Ends(Self.withContext)
        let rewriter = MessageRewriter(variant: .rfc6455, sender: .client, deflate: Self.withContext)
        #expect(try ends.receive(try ends.send(Self.messages[0]).map(rewriter.pass)) == Self.messages[0])
        #expect(!rewriter.isReencoding)

        let original = try ends.send(Self.messages[1])
        let changed = Self.messages[1].replacingOccurrences(of: "\"role\":\"user\"", with: "\"role\":\"admin\"")
        let replacement = try rewriter.replace(original, with: ByteBuffer(string: changed), isText: true)
        let header = try #require(WholeFrame(replacement)).header
        #expect(header.reservedBits == .rsv1 && header.opcode == .text && header.fin)
        #expect(try ends.receive([replacement]) == changed)
        #expect(rewriter.isReencoding)

        // Later messages, one of them in three fragments, refer back to the original the receiver never saw.
        for (index, text) in Self.messages[2...].enumerated() {
            let frames = try ends.send(text, parts: index == 1 ? 3 : 1)
            #expect(try ends.receive(frames.map(rewriter.pass)) == text)
        }
    }

    /// The same stream without the rewriter: the receiver misreads the next message (the test above would
    /// pass for nothing otherwise).
    @Test func withoutReencodingTheNextMessageBreaks() throws {
        let ends = try Ends(Self.withContext)
        _ = try ends.receive(try ends.send(Self.messages[0]))
        _ = try ends.send(Self.messages[1])
        let replacement = try PerMessageDeflateCompressor(agreed: Self.withContext, sender: .client)
            .compress(ByteBuffer(string: "something else"))
        _ = try ends.receive([
            ByteBuffer(
                bytes: try FrameEncoder.encode(
                    FrameSpec(
                        fin: true, reservedBits: .rsv1, opcode: .text, mask: .random,
                        payload: Array(replacement.readableBytesView))))
        ])
        let next = try ends.send(Self.messages[2])
        let read = try? ends.receive(next)
        #expect(read != Self.messages[2])
    }

    @Test func aDroppedMessageLeavesTheRestReadable() throws {
        let ends = try Ends(Self.withContext)
        let rewriter = MessageRewriter(variant: .rfc6455, sender: .client, deflate: Self.withContext)
        #expect(try ends.receive(try ends.send(Self.messages[0]).map(rewriter.pass)) == Self.messages[0])
        try rewriter.drop(try ends.send(Self.messages[1], parts: 2))
        for text in Self.messages[2...] {
            #expect(try ends.receive(try ends.send(text).map(rewriter.pass)) == text)
        }
    }

    @Test func withoutContextTakeoverLaterMessagesPassAsTheyCame() throws {
        let ends = try Ends(Self.withoutContext)
        let rewriter = MessageRewriter(variant: .rfc6455, sender: .client, deflate: Self.withoutContext)
        let replacement = try rewriter.replace(
            try ends.send(Self.messages[0]), with: ByteBuffer(string: "changed"), isText: true)
        #expect(try ends.receive([replacement]) == "changed")
        #expect(!rewriter.isReencoding)
        let frames = try ends.send(Self.messages[1])
        #expect(frames.map(rewriter.pass) == frames)
        #expect(try ends.receive(frames) == Self.messages[1])
    }

    @Test func aPlainMessageIsReplacedPlainAndMaskedWithAFreshKey() throws {
        let rewriter = MessageRewriter(variant: .rfc6455, sender: .client, deflate: Self.withContext)
        let original = ByteBuffer(
            bytes: try FrameEncoder.encode(
                FrameSpec(
                    fin: true, reservedBits: [], opcode: .binary, mask: .key(MaskingKey(1, 2, 3, 4)), payload: [9])))
        let replacement = try rewriter.replace([original], with: ByteBuffer(bytes: [7, 7]), isText: false)
        let frame = try #require(WholeFrame(replacement))
        #expect(frame.header.reservedBits.isEmpty && frame.header.opcode == .binary)
        #expect(frame.header.maskingKey != nil)
        #expect(Array(frame.payload.readableBytesView) == [7, 7])
        #expect(!rewriter.isReencoding)
    }

    @Test func aServersFramesStayUnmasked() throws {
        let rewriter = MessageRewriter(variant: .rfc6455, sender: .server, deflate: nil)
        let original = ByteBuffer(bytes: try FrameEncoder.encode(.text("hi")))
        let frame = try #require(
            WholeFrame(try rewriter.replace([original], with: ByteBuffer(string: "yo"), isText: true)))
        #expect(frame.header.maskingKey == nil)
        #expect(String(buffer: frame.payload) == "yo")
    }

    @Test func hybi00MessagesAreFramedInTheirFraming() throws {
        let rewriter = MessageRewriter(variant: .hybi00, sender: .client, deflate: nil)
        let old = try rewriter.replace([], with: ByteBuffer(string: "ab"), isText: true, hybi00Framing: .old)
        #expect(Array(old.readableBytesView) == [0x00, 0x61, 0x62, 0xFF])
        let new = try rewriter.replace([], with: ByteBuffer(string: "ab"), isText: true, hybi00Framing: .new)
        #expect(Array(new.readableBytesView) == [0xFF, 0, 0, 0, 0, 0, 0, 0, 2, 0x61, 0x62])
    }

    /// After a frame went on unseen, a compressed message can no longer be changed: the rewriter says so and
    /// the original goes on.
    @Test func afterAFramePassedUnseenChangesAreRefused() throws {
        let ends = try Ends(Self.withContext)
        let rewriter = MessageRewriter(variant: .rfc6455, sender: .client, deflate: Self.withContext)
        rewriter.lostTrack(because: "a test says so")
        #expect(throws: MessageRewriter.Refusal.self) {
            try rewriter.replace(try ends.send(Self.messages[0]), with: ByteBuffer(string: "x"), isText: true)
        }
    }
}
