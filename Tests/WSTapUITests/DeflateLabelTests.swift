import NIOCore
import Testing
import WSTapCompression
import WSTapCore

@testable import WSTapUI

/// How the screen labels permessage-deflate payloads: inflated lengths beside the compressed ones, no
/// "captured" or "shown" for a complete message, and the inspector's display limit as a limit (in the
/// ordinary colour, with what was kept), not as a fault.
@Suite struct DeflateLabelTests {
    /// The events with each frame's payload inflated as the proxy does (an inspector per direction).
    static func inflated(_ events: [TrafficEvent], keeping limit: Int = 1 << 20) throws -> [TrafficEvent] {
        var inspectors: [TrafficDirection: PerMessageDeflateInspector] = [:]
        for direction in TrafficDirection.allCases {
            inspectors[direction] = try PerMessageDeflateInspector(
                agreed: PerMessageDeflateParameters(), sender: direction.sender, maxMessageSize: limit)
        }
        return events.map { event in
            guard case .frame(var seen) = event else { return event }
            inspectors[seen.direction]?.inflate(&seen)
            return .frame(seen)
        }
    }

    static func bytes(_ buffer: ByteBuffer) -> [UInt8] { Array(buffer.readableBytesView) }

    /// A whole compressed message, a message in two frames whose last one inflates to nothing of its own,
    /// and a message over the display limit.
    static func session(keeping limit: Int = 1 << 20) throws -> UIState {
        let compressor = try PerMessageDeflateCompressor()
        var script = TrafficScript()
        script.open(1)
        let whole = bytes(try compressor.compress(ByteBuffer(string: "hello hello hello hello")))
        script.frame(1, .serverToClient, FrameSpec(reservedBits: .rsv1, opcode: .text, payload: whole))
        let start = bytes(try compressor.compressFragment(ByteBuffer(string: "joined from two frames"), isFinal: false))
        let end = bytes(try compressor.compressFragment(ByteBuffer(), isFinal: true))
        script.frame(1, .serverToClient, FrameSpec(fin: false, reservedBits: .rsv1, opcode: .text, payload: start))
        script.frame(1, .serverToClient, FrameSpec(fin: true, opcode: .continuation, payload: end))
        let big = String(repeating: "0123456789", count: 500)
        let large = bytes(try compressor.compress(ByteBuffer(string: big)))
        script.frame(1, .serverToClient, FrameSpec(reservedBits: .rsv1, opcode: .text, payload: large))
        var state = Sessions.state(120, 40)
        _ = reduce(&state, .traffic(try inflated(script.events, keeping: limit)))
        return state
    }

    static func screen(_ state: UIState) -> (text: String, colours: [Substring]) {
        var grid = CellGrid(size: state.size)
        render(state, into: &grid)
        return ((0..<grid.rows).map { grid.line($0) }.joined(separator: "\n"), grid.styleMap().split(separator: "\n"))
    }

    @Test func aWholeCompressedMessageSaysItsInflatedLengthAndNothingOfACut() throws {
        var state = try Self.session()
        Sessions.keys(&state, .home, .enter)
        let text = Self.screen(state).text
        #expect(text.contains("Payload 23 bytes inflated ("), "\(text)")
        #expect(!text.contains("captured"), "a complete message is not cut")
    }

    @Test func aFinalFragmentThatInflatesToNothingIsNotCalledMissing() throws {
        let state = try Self.session()
        let text = Self.screen(state).text
        #expect(!text.contains("(payload not held)"), "\(text)")
        #expect(text.contains("\"\" (inflated)"))
    }

    @Test func aJoinedCompressedMessageIsShownWhole() throws {
        var state = try Self.session()
        Sessions.keys(&state, .character("m"), .home, .down, .enter)
        let text = Self.screen(state).text
        #expect(text.contains("22 bytes inflated, joined from 2 frames"), "\(text)")
        #expect(!text.contains("shown"), "all of it is shown")
    }

    @Test func theDisplayLimitIsALimitNotAnError() throws {
        var state = try Self.session(keeping: 1000)
        Sessions.keys(&state, .end, .enter)
        let (text, colours) = Self.screen(state)
        #expect(!text.contains("inflating failed"), "\(text)")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let index = lines.firstIndex(where: { $0.contains("permessage-deflate:") }) else {
            Issue.record("no permessage-deflate line: \(text)")
            return
        }
        #expect(lines[index].contains("inflates to 5000 bytes"), "\(lines[index])")
        #expect(lines[index + 1].contains("the first 1000 bytes of its message are kept"), "\(lines[index + 1])")
        #expect(!colours[index].contains("r") && !colours[index + 1].contains("r"), "not in the violation colour")
    }
}
