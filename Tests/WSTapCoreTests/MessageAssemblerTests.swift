import NIOCore
import Testing
import WSTapCore

@Suite struct MessageAssemblerTests {
    let stream = hex("01 03 48 65 6c") + hex("89 00") + hex("80 02 6c 6f") + hex("82 01 07")

    @Test func wholeMessages() {
        var assembler = MessageAssembler()
        var texts: [String] = []
        var controls = 0
        for frame in decodeAll(stream).frames {
            switch assembler.push(frame) {
            case .message(let message)?: texts.append(message.text ?? "<binary \(message.data.readableBytes)>")
            case .control?: controls += 1
            case .failure(let violation)?: Issue.record("unexpected \(violation)")
            case .chunk?: Issue.record("no chunks in whole mode")
            case nil: break
            }
        }
        #expect(texts == ["Hello", "\u{07}"])
        #expect(controls == 1)
    }

    @Test func streamingChunks() {
        var assembler = MessageAssembler(mode: .streaming)
        var chunks: [(String, Bool, Bool)] = []
        for frame in decodeAll(stream).frames {
            if case .chunk(let chunk)? = assembler.push(frame) {
                chunks.append((String(buffer: chunk.data), chunk.isFirst, chunk.isFinal))
            }
        }
        #expect(chunks.map(\.0) == ["Hel", "lo", "\u{07}"])
        #expect(chunks.map(\.1) == [true, false, true])
        #expect(chunks.map(\.2) == [false, true, true])
    }

    @Test func failures() {
        var assembler = MessageAssembler(maxMessageSize: 4)
        let frames = decodeAll(hex("80 01 61") + hex("01 03 61 62 63") + hex("80 02 64 65")).frames
        var kinds: [Violation.Kind] = []
        for frame in frames {
            if case .failure(let violation)? = assembler.push(frame) { kinds.append(violation.kind) }
        }
        #expect(kinds == [.continuationWithoutMessage, .messageTooBig])
        #expect(!assembler.isMessageOpen)
    }
}
