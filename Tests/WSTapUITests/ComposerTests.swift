import NIOCore
import Testing
import WSTapCore
import WSTapInspect
import WSTapUI

/// The composer's keys, through the pure update function; the bytes it sends are checked against what
/// `wstap craft` (CraftRun) builds from the same choices with the same random source.
@Suite struct ComposerTests {
    static let seed: UInt64 = 0x5eed

    /// A proxy session with one open RFC 6455 connection (1) and its frames, random keys from a fixed seed.
    static func session(_ columns: Int = 80, _ rows: Int = 24, mode: SessionMode = .proxy) -> UIState {
        var state = UIState(
            mode: mode, listenAddress: "127.0.0.1:8080", upstream: "ws://127.0.0.1:9001",
            size: ScreenSize(columns: columns, rows: rows), randomSeed: seed)
        Sessions.apply(&state, Sessions.everyOpcode(ended: false))
        return state
    }

    /// Tells the state the effects went out, as the glue does (a composer's frame joins the recent list then).
    static func sent(_ state: inout UIState, _ effects: [UIEffect]) {
        for effect in effects { _ = reduce(&state, .sendResult(effect, error: nil)) }
    }

    /// Tab until the field has the focus.
    static func focus(_ state: inout UIState, _ field: ComposerField, sourceLocation: SourceLocation = #_sourceLocation)
    {
        for _ in 0..<ComposerField.allCases.count {
            if state.composer?.focus == field { return }
            Sessions.keys(&state, .tab)
        }
        Issue.record("the composer shows no \(field) field", sourceLocation: sourceLocation)
    }

    static func type(_ state: inout UIState, _ text: String) {
        for character in text { Sessions.keys(&state, .character(character)) }
    }

    /// What `wstap craft` gives for the options, drawing keys from the composer's seed.
    static func craft(_ options: CraftRun.Options) throws -> [UInt8] {
        var generator = SeededRandomNumberGenerator(seed: seed)
        return try CraftRun.bytes(for: options, using: &generator)
    }

    static func decode(_ bytes: [UInt8]) -> [DecodedFrame] {
        var decoder = FrameDecoder()
        decoder.append(bytes)
        var frames: [DecodedFrame] = []
        while let frame = decoder.nextFrame() { frames.append(frame) }
        return frames
    }

    // MARK: Opening

    @Test func xOpensAnEmptyComposerAimedAtTheSelectedFrame() {
        var state = Self.session()
        Sessions.keys(&state, .home)
        Sessions.keys(&state, .character("x"))
        #expect(state.composer?.target == .proxied(connection: 1, direction: .clientToServer))
        #expect(state.composer?.mask == .random, "client to server: masked with a random key")
        #expect(state.composer?.payloadText == "")
        Sessions.keys(&state, .escape)
        #expect(state.composer == nil)
        Sessions.keys(&state, .down, .character("x"))
        #expect(state.composer?.target == .proxied(connection: 1, direction: .serverToClient))
        #expect(state.composer?.mask == ComposerForm.MaskChoice.none, "server to client: unmasked")
    }

    @Test func viewerModeHasNothingToSendOn() {
        var state = Self.session(mode: .viewer)
        Sessions.keys(&state, .character("x"))
        #expect(state.composer == nil)
        #expect(state.notice?.contains("viewer") == true)
    }

    @Test func typedKeysGoToTheFormNotTheList() {
        var state = Self.session()
        Sessions.keys(&state, .character("x"))
        Self.focus(&state, .payload)
        #expect(reduce(&state, .key(.character("q"))).isEmpty, "q is a letter of the payload here")
        Self.type(&state, "uit x?")
        #expect(state.composer?.payloadText == "quit x?")
        Sessions.keys(&state, .backspace)
        #expect(state.composer?.payloadText == "quit x")
        Sessions.keys(&state, .control("u"))
        #expect(state.composer?.payloadText == "")
    }

    @Test func theCursorMovesInTextFieldsAndTabAndShiftTabWrap() {
        var state = Self.session()
        Sessions.keys(&state, .character("x"))
        Self.type(&state, "helo")
        Sessions.keys(&state, .left, .character("l"))
        #expect(state.composer?.payloadText == "hello")
        Sessions.keys(&state, .home, .character(">"), .character(" "))
        #expect(state.composer?.payloadText == "> hello")
        Sessions.keys(&state, .right, .backspace)
        #expect(state.composer?.payloadText == "> ello")
        Sessions.keys(&state, .end, .character("!"))
        #expect(state.composer?.payloadText == "> ello!")
        var grid = CellGrid(size: state.size)
        Sessions.keys(&state, .home, .right)
        render(state, into: &grid)
        #expect((0..<grid.rows).contains { grid.line($0).hasSuffix("payload     >▏ ello!") })

        let fields = state.composer?.fields ?? []
        Sessions.keys(&state, .tab, .tab)
        #expect(state.composer?.focus == fields.first, "Tab after the last field wraps to the first")
        Sessions.keys(&state, .backTab)
        #expect(state.composer?.focus == .recent)
        Sessions.keys(&state, .up)
        #expect(state.composer?.focus == .payload)
        #expect(state.composer?.cursor == nil, "a field is entered at its end")
    }

    @Test func smallScreensDrawTheComposerWithoutTrouble() {
        for (columns, rows) in [(40, 8), (60, 20), (69, 12), (200, 60)] {
            var state = Self.session(columns, rows)
            Sessions.keys(&state, .character("x"))
            Self.type(&state, String(repeating: "wide 日本語 ", count: 40))
            Self.focus(&state, .fragments)
            Sessions.keys(&state, .right, .right, .right)
            var grid = CellGrid(size: state.size)
            render(state, into: &grid)
            #expect(grid.line(1).contains("composer"), "\(columns)x\(rows)")
            #expect(grid.line(rows - 1).hasPrefix(" Enter send  Esc close"), "\(columns)x\(rows)")
        }
    }

    // MARK: Bytes as craft builds them

    @Test func textInjectedClientToServerIsWhatCraftBuilds() throws {
        var state = Self.session()
        Sessions.keys(&state, .home, .character("x"))
        Self.focus(&state, .payload)
        Self.type(&state, "Hello, wstap")
        var options = CraftRun.Options()
        options.text = "Hello, wstap"
        options.mask = "random"
        let expected = try Self.craft(options)
        #expect(
            reduce(&state, .key(.enter)) == [.inject(connection: 1, direction: .clientToServer, bytes: expected)])
        #expect(state.composer != nil, "the composer stays open to send more")
    }

    @Test func textInjectedServerToClientIsUnmasked() throws {
        var state = Self.session()
        Sessions.keys(&state, .home, .character("x"))
        Self.focus(&state, .direction)
        Sessions.keys(&state, .right)
        Self.focus(&state, .payload)
        Self.type(&state, "from the server")
        var options = CraftRun.Options()
        options.text = "from the server"
        let expected = try Self.craft(options)
        #expect(
            reduce(&state, .key(.enter)) == [.inject(connection: 1, direction: .serverToClient, bytes: expected)])
    }

    @Test func closeWithCodeAndReasonIsWhatCraftBuilds() throws {
        var state = Self.session()
        Sessions.keys(&state, .home, .character("x"))
        Self.focus(&state, .opcode)
        for _ in 0..<7 { Sessions.keys(&state, .right) }
        #expect(state.composer?.opcode == .close)
        Self.focus(&state, .closeCode)
        Self.type(&state, "4000")
        Self.focus(&state, .closeReason)
        Self.type(&state, "bye now")
        var options = CraftRun.Options()
        options.opcode = "close"
        options.closeCode = 4000
        options.reason = "bye now"
        options.mask = "random"
        let expected = try Self.craft(options)
        #expect(
            reduce(&state, .key(.enter)) == [.inject(connection: 1, direction: .clientToServer, bytes: expected)])
    }

    @Test func everyHeaderFieldIsWhatCraftBuilds() throws {
        var state = Self.session()
        Sessions.keys(&state, .home, .character("x"))
        Self.focus(&state, .opcode)
        Sessions.keys(&state, .right, .right)  // text (1) → 3, a reserved opcode
        Self.focus(&state, .fin)
        Sessions.keys(&state, .character(" "))
        Self.focus(&state, .reservedBits)
        Sessions.keys(&state, .character("1"), .character("3"))
        Self.focus(&state, .mask)
        Sessions.keys(&state, .right)
        #expect(state.composer?.mask == .key)
        Self.focus(&state, .maskKey)
        Self.type(&state, "0a0b0c0d")
        Self.focus(&state, .lengthEncoding)
        Sessions.keys(&state, .left)
        #expect(state.composer?.length == .bits64)
        Self.focus(&state, .declaredLength)
        Self.type(&state, "300")
        Self.focus(&state, .payloadSource)
        Sessions.keys(&state, .right)
        #expect(state.composer?.payloadSource == .hex)
        Self.focus(&state, .payload)
        Self.type(&state, "de ad be ef")
        var options = CraftRun.Options()
        options.opcode = "3"
        options.fin = false
        options.rsv = 5
        options.mask = "0a0b0c0d"
        options.lengthEncoding = "64"
        options.declaredLength = 300
        options.hex = "deadbeef"
        let expected = try Self.craft(options)
        #expect(
            reduce(&state, .key(.enter)) == [.inject(connection: 1, direction: .clientToServer, bytes: expected)])
    }

    @Test func textTurnsIntoHexAndBack() {
        var state = Self.session()
        Sessions.keys(&state, .character("x"))
        Self.focus(&state, .payload)
        Self.type(&state, "Hi!")
        Self.focus(&state, .payloadSource)
        Sessions.keys(&state, .right)
        #expect(state.composer?.payloadText == "48 69 21")
        Sessions.keys(&state, .left)
        #expect(state.composer?.payloadText == "Hi!")
    }

    @Test func fragmentsSplitTheMessageFirstOpcodeThenContinuationsFinOnTheLast() {
        var state = Self.session()
        Sessions.keys(&state, .home, .character("x"))
        Self.focus(&state, .fragments)
        Sessions.keys(&state, .right, .right)
        #expect(state.composer?.fragmentsText == "3")
        Self.focus(&state, .payload)
        Self.type(&state, "abcdefgh")
        let effects = reduce(&state, .key(.enter))
        guard case .inject(1, .clientToServer, let bytes) = effects.first else {
            Issue.record("expected an inject, got \(effects)")
            return
        }
        let frames = Self.decode(bytes)
        #expect(frames.map(\.header.opcode) == [.text, .continuation, .continuation])
        #expect(frames.map(\.header.fin) == [false, false, true])
        #expect(frames.allSatisfy { $0.header.isMasked && $0.violations.isEmpty })
        #expect(Set(frames.compactMap(\.header.maskingKey)).count == 3, "a fresh key per frame")
        let payload = frames.flatMap { Array($0.payload.readableBytesView) }
        #expect(String(decoding: payload, as: UTF8.self) == "abcdefgh")
        #expect(frames.map(\.payload.readableBytes) == [2, 3, 3])
    }

    @Test func hybi00ConnectionsGetHybi00FramesInTheirFraming() throws {
        var state = Self.session()
        var script = TrafficScript()
        script.open(5, variant: .hybi00, framing: .new)
        script.bytes(5, .clientToServer, [0xff] + [0, 0, 0, 0, 0, 0, 0, 2] + Array("hi".utf8))
        _ = reduce(&state, .traffic(script.events))
        Sessions.keys(&state, .character("G"), .character("x"))
        #expect(state.composer?.variant == .hybi00)
        #expect(state.composer?.fields.contains(.mask) == false, "hybi-00 frames are never masked")
        Self.focus(&state, .payload)
        Self.type(&state, "hello")
        var options = CraftRun.Options()
        options.variant = .hybi00
        options.framing = .new
        options.text = "hello"
        #expect(
            reduce(&state, .key(.enter))
                == [.inject(connection: 5, direction: .clientToServer, bytes: try Self.craft(options))])
        Self.focus(&state, .framing)
        Sessions.keys(&state, .character(" "))
        options.framing = .old
        #expect(
            reduce(&state, .key(.enter))
                == [.inject(connection: 5, direction: .clientToServer, bytes: try Self.craft(options))])
    }

    @Test func clientModeSendsOnTheClientConnection() throws {
        var state = Self.session(mode: .client)
        Sessions.keys(&state, .character("x"))
        #expect(state.composer?.target == .clientConnection)
        #expect(state.composer?.fields.contains(.direction) == false)
        Self.focus(&state, .payload)
        Self.type(&state, "ping?")
        var options = CraftRun.Options()
        options.text = "ping?"
        options.mask = "random"
        #expect(reduce(&state, .key(.enter)) == [.send(bytes: try Self.craft(options))])
    }

    // MARK: What is shown is what is sent

    @Test func theBytesShownAreTheBytesSentAndTheNextKeyIsFresh() {
        var state = Self.session()
        Sessions.keys(&state, .home, .character("x"))
        Self.focus(&state, .payload)
        Self.type(&state, "same")
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        let shownBefore = (0..<grid.rows).map { grid.line($0) }
        guard case .inject(_, _, let sent) = reduce(&state, .key(.enter)).first else {
            Issue.record("nothing sent")
            return
        }
        let hex = sent.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
        #expect(shownBefore.contains { $0.contains("bytes: \(sent.count) (1 frame)") })
        #expect(shownBefore.contains { $0.hasSuffix(hex) }, "the hex shown before Enter is what was sent")
        guard case .inject(_, _, let second) = reduce(&state, .key(.enter)).first else {
            Issue.record("nothing sent the second time")
            return
        }
        #expect(second != sent, "a new random key for the next frame")
    }

    @Test func errorsAreShownAndNothingIsSent() {
        var state = Self.session()
        Sessions.keys(&state, .character("x"))
        Self.focus(&state, .payloadSource)
        Sessions.keys(&state, .right)
        Self.focus(&state, .payload)
        Self.type(&state, "abc")
        #expect(reduce(&state, .key(.enter)).isEmpty)
        #expect(state.notice?.hasPrefix("not sent: payload: odd number of hexadecimal digits") == true)
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        #expect((0..<grid.rows).contains { grid.line($0).contains("no bytes: payload: odd number") })

        Sessions.keys(&state, .control("u"))
        Self.focus(&state, .fragments)
        Sessions.keys(&state, .right)
        Self.focus(&state, .declaredLength)
        Self.type(&state, "9")
        #expect(reduce(&state, .key(.enter)).isEmpty)
        #expect(state.notice?.contains("declared") == true)
        Sessions.keys(&state, .backspace)
        Self.focus(&state, .lengthEncoding)
        Sessions.keys(&state, .right)
        Self.focus(&state, .payload)
        Self.type(&state, String(repeating: "aa", count: 300))
        #expect(reduce(&state, .key(.enter)).isEmpty, "300 bytes in 2 frames do not fit 7-bit lengths")
        #expect(state.notice?.contains("length") == true)
    }

    @Test func closeCodeOutOfRangeIsAnError() {
        var state = Self.session()
        Sessions.keys(&state, .character("x"))
        Self.focus(&state, .opcode)
        for _ in 0..<7 { Sessions.keys(&state, .right) }
        Self.focus(&state, .closeCode)
        Self.type(&state, "70000")
        #expect(reduce(&state, .key(.enter)).isEmpty)
        #expect(state.notice == "not sent: close code: 70000 is out of range: at most 65535")
    }

    // MARK: Files

    @Test func aPayloadFileIsReadByTheGlueThenSent() throws {
        var state = Self.session()
        Sessions.keys(&state, .home, .character("x"))
        Self.focus(&state, .payloadSource)
        Sessions.keys(&state, .right, .right)
        #expect(state.composer?.payloadSource == .file)
        Self.focus(&state, .payload)
        Self.type(&state, "/tmp/payload.bin")
        #expect(reduce(&state, .key(.enter)) == [.loadFile(path: "/tmp/payload.bin")])
        _ = reduce(&state, .fileLoaded(path: "/tmp/payload.bin", bytes: [0, 1, 2, 0xff]))
        var options = CraftRun.Options()
        options.fileBytes = [0, 1, 2, 0xff]
        options.mask = "random"
        #expect(
            reduce(&state, .key(.enter))
                == [.inject(connection: 1, direction: .clientToServer, bytes: try Self.craft(options))])
        Self.type(&state, "2")
        #expect(reduce(&state, .key(.enter)) == [.loadFile(path: "/tmp/payload.bin2")], "another path is read anew")
    }

    @Test func theRecentListKeepsFileBytesOnceAndWithinItsBudget() {
        var state = Self.session()
        Sessions.keys(&state, .character("x"))
        Self.focus(&state, .payloadSource)
        Sessions.keys(&state, .right, .right)
        Self.focus(&state, .payload)
        Self.type(&state, "big.bin")
        #expect(reduce(&state, .key(.enter)) == [.loadFile(path: "big.bin")])
        let sixMiB = [UInt8](repeating: 0x42, count: 6 << 20)
        _ = reduce(&state, .fileLoaded(path: "big.bin", bytes: sixMiB))
        for _ in 0..<3 {
            let effects = reduce(&state, .key(.enter))
            #expect(effects.count == 1)
            Self.sent(&state, effects)
        }
        #expect(state.craftedFrames.count == 2, "three 6 MiB frames do not fit 16 MiB: the oldest goes")
        #expect(state.craftedFrames.allSatisfy { $0.form.loadedFile == nil }, "the file is not held twice")
        Self.focus(&state, .recent)
        Sessions.keys(&state, .character(" "))
        #expect(state.composer?.needsFile == true, "a file loaded back is read again")
    }

    // MARK: Repeater and intercept

    @Test func eOnAFrameFillsTheFormSoThatUnchangedItSendsTheSameBytes() throws {
        var state = Self.session()
        Sessions.keys(&state, .home, .character("e"))
        #expect(state.composer?.payloadText == "Hello")
        #expect(state.composer?.maskKeyText == "37fa213d")
        let original = try FrameEncoder.encode(.text("Hello", mask: .key(MaskingKey(0x37, 0xfa, 0x21, 0x3d))))
        #expect(
            reduce(&state, .key(.enter)) == [.inject(connection: 1, direction: .clientToServer, bytes: original)])
        // The close frame at the end comes back as code and reason.
        Sessions.keys(&state, .escape, .end, .character("e"))
        #expect(state.composer?.opcode == .close)
        #expect(state.composer?.closeCodeText == "1000")
        #expect(state.composer?.closeReasonText == "bye")
        #expect(state.composer?.target == .proxied(connection: 1, direction: .serverToClient))
    }

    /// `e` on frames older than the newest ones kept as captured: the form comes from the row and the whole
    /// payload in the ring, and gives the same bytes as a form from the captured frame.
    @Test func eOnOlderFramesWorksWhileTheirWholePayloadIsHeld() throws {
        func sessionWith(recentFrames: Int, payloadBytes: Int = 32 << 20) -> UIState {
            var state = UIState(
                mode: .proxy, recentFrames: recentFrames, randomSeed: Self.seed, payloadBytes: payloadBytes)
            Sessions.apply(&state, Sessions.everyOpcode(ended: false))
            Sessions.apply(&state, Sessions.violations)
            var script = TrafficScript()
            script.open(6, variant: .hybi00, framing: .old)
            script.bytes(6, .serverToClient, [0x80, 0x03, 0x01, 0x02, 0x03])
            script.bytes(6, .serverToClient, [0x00] + Array("sentinel".utf8) + [0xFF])
            Sessions.apply(&state, script)
            return state
        }
        var captured = sessionWith(recentFrames: 512)
        var rowsOnly = sessionWith(recentFrames: 1)
        #expect(captured.framesSeen == rowsOnly.framesSeen)
        var edited = 0
        for position in 0..<rowsOnly.framesSeen {
            for key: Key in [.escape, .home] { Sessions.keys(&captured, key) }
            for key: Key in [.escape, .home] { Sessions.keys(&rowsOnly, key) }
            for _ in 0..<position {
                Sessions.keys(&captured, .down)
                Sessions.keys(&rowsOnly, .down)
            }
            Sessions.keys(&captured, .character("e"))
            Sessions.keys(&rowsOnly, .character("e"))
            #expect(
                (rowsOnly.composer != nil) == (captured.composer != nil),
                "frame #\(position + 1): \(rowsOnly.notice ?? "") / \(captured.notice ?? "")")
            guard captured.composer != nil, rowsOnly.composer != nil else { continue }
            edited += 1
            #expect(
                reduce(&rowsOnly, .key(.enter)) == reduce(&captured, .key(.enter)), "frame #\(position + 1)")
        }
        #expect(edited == rowsOnly.framesSeen, "every frame of these sessions can be edited")

        // Once the ring has let a payload go, the notice says so.
        var small = sessionWith(recentFrames: 1, payloadBytes: 256)
        Sessions.keys(&small, .home, .character("e"))
        #expect(small.composer == nil)
        #expect(
            small.notice
                == "frame #1 cannot be edited: its whole payload is no longer held (only the newest 256 B of payloads are)"
        )
    }

    @Test func eInTheInterceptQueueReplacesTheHeldFrame() throws {
        var state = Self.session()
        var script = TrafficScript()
        script.open(4)
        script.text(4, .clientToServer, "password=hunter2")
        script.markLast(.held(11))
        script.text(4, .clientToServer, "two")
        script.markLast(.held(12))
        Sessions.apply(&state, script)
        Sessions.keys(&state, .character("I"), .character("e"))
        #expect(state.composer?.target == .heldFrame(holdID: 11, connection: 4, direction: .clientToServer))
        Self.focus(&state, .payload)
        Sessions.keys(&state, .control("u"))
        Self.type(&state, "password=xxx")
        let expected = try FrameEncoder.encode(
            .text("password=xxx", mask: .key(MaskingKey(0x37, 0xfa, 0x21, 0x3d))))
        #expect(reduce(&state, .key(.enter)) == [.decideHeld(holdID: 11, decision: .replace(expected))])
        #expect(state.composer == nil, "the held frame is decided: back to the queue")
        #expect(state.overlay == .interceptQueue)
        #expect(state.heldHoldIDs == [12])
        Sessions.keys(&state, .character("e"), .escape)
        #expect(state.heldHoldIDs == [12], "Esc leaves the frame held")
    }

    @Test func recentFramesAreSentAgainFromTheList() {
        var state = Self.session()
        Sessions.keys(&state, .home, .character("x"))
        Self.focus(&state, .payload)
        var sent: [[UInt8]] = []
        for text in ["one", "two", "three"] {
            Sessions.keys(&state, .control("u"))
            Self.type(&state, text)
            let effects = reduce(&state, .key(.enter))
            guard case .inject(_, _, let bytes) = effects.first else {
                Issue.record("nothing sent")
                return
            }
            #expect(state.craftedFrames.count == sent.count, "not in the list before the glue says it went")
            Self.sent(&state, effects)
            sent.append(bytes)
        }
        #expect(state.craftedFrames.map(\.bytes) == sent.reversed())
        Self.focus(&state, .recent)
        Sessions.keys(&state, .right)
        let again = reduce(&state, .key(.enter))
        #expect(
            again == [.inject(connection: 1, direction: .clientToServer, bytes: sent[1])],
            "the second newest, byte for byte (same key)")
        Self.sent(&state, again)
        #expect(state.craftedFrames.map(\.bytes) == [sent[1], sent[2], sent[1], sent[0]])
        Sessions.keys(&state, .right, .right, .right, .character(" "))
        #expect(state.composer?.payloadText == "one", "Space loads it into the form")
        #expect(state.composer?.focus == .payload)

        for _ in 0..<30 { Self.sent(&state, reduce(&state, .key(.enter))) }
        #expect(state.craftedFrames.count == 20, "the list is bounded")
    }
}

/// hybi-00 frames of any type byte, and the repeater on them.
@Suite struct ComposerHybi00Tests {
    @Test func aTypeByteIsWrittenAsGivenAndAnEditedFrameKeepsIts() throws {
        var state = ComposerTests.session()
        var script = TrafficScript()
        script.open(6, variant: .hybi00, framing: .old)
        // A length-prefixed frame of type 0x80 (old framing's binary form): 3 bytes.
        script.bytes(6, .serverToClient, [0x80, 0x03, 0x01, 0x02, 0x03])
        _ = reduce(&state, .traffic(script.events))
        Sessions.keys(&state, .character("G"), .character("e"))
        #expect(state.composer?.typeByteText == "0x80")
        #expect(state.composer?.payloadSource == .hex)
        #expect(
            reduce(&state, .key(.enter))
                == [.inject(connection: 6, direction: .serverToClient, bytes: [0x80, 0x03, 0x01, 0x02, 0x03])])
        ComposerTests.focus(&state, .typeByte)
        Sessions.keys(&state, .control("u"))
        ComposerTests.type(&state, "300")
        #expect(reduce(&state, .key(.enter)).isEmpty)
        #expect(state.notice == "not sent: type byte: 300 is out of range: at most 255")
        Sessions.keys(&state, .control("u"))
        ComposerTests.type(&state, "0x05")
        var options = CraftRun.Options()
        options.variant = .hybi00
        options.hybiTypeByte = "5"
        options.hex = "010203"
        #expect(
            reduce(&state, .key(.enter))
                == [.inject(connection: 6, direction: .serverToClient, bytes: try ComposerTests.craft(options))])
    }
}

/// The composer offers open connections only, and only frames that went join its recent list.
@Suite struct ComposerConnectionTests {
    /// Connection 1 ended (its frames in the list), connection 2 open, as in the demo after a round.
    static func session() -> UIState {
        var state = ComposerTests.session()
        var script = TrafficScript()
        script.open(2)
        script.text(2, .clientToServer, "still here")
        Sessions.apply(&state, script)
        var closing = TrafficScript()
        closing.open(1)
        closing.close(1, clientCode: .normalClosure, serverCode: .normalClosure, reason: "bye")
        _ = reduce(&state, .traffic(Array(closing.events.suffix(1))))  // connection 1 ends
        return state
    }

    @Test func xOnAFrameOfAClosedConnectionAimsAtAnOpenOne() {
        var state = Self.session()
        Sessions.keys(&state, .home, .character("x"))
        #expect(state.composer?.target == .proxied(connection: 2, direction: .clientToServer))
        ComposerTests.focus(&state, .connection)
        Sessions.keys(&state, .right, .right, .left)
        #expect(state.composer?.target.connection == 2, "←→ offer the open connections only")
    }

    @Test func withNoOpenConnectionTheFormSaysSoAndSendsNothing() {
        var state = ComposerTests.session()
        var closing = TrafficScript()
        closing.open(1)
        closing.close(1, clientCode: .normalClosure, serverCode: .normalClosure, reason: "bye")
        _ = reduce(&state, .traffic(Array(closing.events.suffix(1))))
        Sessions.keys(&state, .character("x"))
        #expect(state.composer?.target == .proxied(connection: nil, direction: .serverToClient))
        #expect(state.notice?.hasPrefix("no open connection") == true, "\(state.notice ?? "")")
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        #expect((0..<grid.rows).contains { grid.line($0).contains("inject (no open connection)") })
        ComposerTests.type(&state, "hello")
        #expect(reduce(&state, .key(.enter)).isEmpty)
        #expect(state.notice == "not sent: no open connection to inject into")
        #expect(state.craftedFrames.isEmpty)
    }

    /// A focused choice with nothing to choose says so, as it does unfocused (it was a blank cell), and the
    /// recent list offers no keys for frames it does not have.
    @Test func focusedEmptyChoicesSayWhyTheyAreEmpty() {
        var state = ComposerTests.session()
        var closing = TrafficScript()
        closing.open(1)
        closing.close(1, clientCode: .normalClosure, serverCode: .normalClosure, reason: "bye")
        _ = reduce(&state, .traffic(Array(closing.events.suffix(1))))
        Sessions.keys(&state, .character("x"))
        func line(_ label: String) -> String {
            var grid = CellGrid(size: state.size)
            render(state, into: &grid)
            return (0..<grid.rows).map { grid.line($0) }.first { $0.contains("▸ \(label)") } ?? ""
        }
        ComposerTests.focus(&state, .connection)
        #expect(line("connection").contains("no open connection"), "\(line("connection"))")
        ComposerTests.focus(&state, .recent)
        #expect(line("recent").contains("nothing sent yet"), "\(line("recent"))")
        #expect(!line("recent").contains("Enter sends it again"), "\(line("recent"))")
    }

    @Test func aConnectionThatClosesWhileTheFormIsOpenIsNotSentTo() {
        var state = ComposerTests.session()
        Sessions.keys(&state, .character("x"))
        #expect(state.composer?.target.connection == 1)
        var closing = TrafficScript()
        closing.open(1)
        closing.close(1, clientCode: .normalClosure, serverCode: .normalClosure, reason: "bye")
        _ = reduce(&state, .traffic(Array(closing.events.suffix(1))))
        ComposerTests.type(&state, "hello")
        #expect(reduce(&state, .key(.enter)).isEmpty)
        #expect(state.notice?.hasPrefix("not sent: connection 1 is closed") == true, "\(state.notice ?? "")")
    }

    @Test func onlyFramesSentJoinTheRecentList() {
        var state = ComposerTests.session()
        Sessions.keys(&state, .character("x"))
        ComposerTests.type(&state, "one")
        let first = reduce(&state, .key(.enter))
        #expect(first.count == 1)
        _ = reduce(&state, .sendResult(first[0], error: "no open connection #1"))
        #expect(state.craftedFrames.isEmpty, "a failed send is not remembered")
        #expect(state.notice == "not sent: no open connection #1")
        let second = reduce(&state, .key(.enter))
        _ = reduce(&state, .sendResult(second[0], error: nil))
        #expect(state.craftedFrames.count == 1)
        #expect(state.notice?.hasPrefix("sent ") == true)
    }
}
