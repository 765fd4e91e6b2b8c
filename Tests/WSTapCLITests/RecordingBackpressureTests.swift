import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import WSTapCore
import WSTapSession
import WSTapTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `wstap proxy --record` onto a disk that stops: the recording is a FIFO that the test does not read at
/// first. A python3-websockets client sends 12 MiB through the proxy to a python3-websockets server. The
/// recorder falls behind, says so (a note), and the proxy stops reading instead of blocking its event loops:
/// new connections through it still complete their handshakes while the writer is stuck. Once the test
/// drains the FIFO, reading resumes (a note), the transfer completes, and the recording holds every message.
@Suite struct RecordingBackpressureTests {
    static let peer = PeerScripts.script("bulk_peer.py", of: "WSTapCLITests")
    static let messageCount = 384
    static let messageSize = 32 << 10
    static let pausedNote = "recording behind the traffic: reading paused"
    static let resumedNote = "recording caught up: reading resumed"

    /// Message `index` as bulk_peer.py makes it: its number in 8 digits, then bytes counting from index mod 251.
    static func payload(_ index: Int) -> [UInt8] {
        Array(String(format: "%08d", index).utf8) + (0..<(messageSize - 8)).map { UInt8((index + $0) % 251) }
    }

    @Test func aStalledRecordingPausesReadingAndLosesNothing() async throws {
        try await offThePool {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "wstap-fifo-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let fifo = folder.appendingPathComponent("rec.jsonl").path
            try #require(mkfifo(fifo, 0o600) == 0)
            // Opened first, without waiting for a writer, so the proxy's open does not wait for a reader.
            let reader = open(fifo, O_RDONLY | O_NONBLOCK)
            try #require(reader >= 0)
            let handle = FileHandle(fileDescriptor: reader, closeOnDealloc: true)

            let server = try SignalableProcess(PeerProcess.python, [Self.peer.path, "serve"])
            defer { server.terminate() }
            let serverPort = try #require(Int(server.firstLine()), "\(server.standardError)")
            let proxy = try SignalableProcess(
                ToolRunner.wstapPath,
                [
                    "proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(serverPort)", "--no-tui",
                    "--record", fifo,
                ])
            defer { proxy.terminate() }
            let proxyPort = try #require(ToolRunner.listeningPort(proxy.firstLine()), "\(proxy.standardError)")
            // The proxy has the FIFO open for writing: from now on reads wait for its bytes.
            _ = fcntl(reader, F_SETFL, fcntl(reader, F_GETFL) & ~O_NONBLOCK)

            let sender = try SignalableProcess(
                PeerProcess.python,
                [Self.peer.path, "send", "\(proxyPort)", "\(Self.messageCount)", "\(Self.messageSize)"])
            defer { sender.terminate() }
            // (c) Nobody reads the recording: the recorder falls behind and says so.
            let paused = proxy.waitForOutput { $0.contains(Self.pausedNote) }.met
            try #require(paused, "no note that reading paused: \(proxy.standardError)")

            // (a) The event loops still run while the writer is stuck: as many new connections as the proxy can
            // have event loops (and one more), one after another, complete their handshakes through it.
            let probes = max(2, ProcessInfo.processInfo.activeProcessorCount) + 1
            for _ in 0..<probes {
                let probe = try PeerProcess.run(PeerProcess.python, [Self.peer.path, "probe", "\(proxyPort)"])
                #expect(probe.text == "open\n", "\(probe.stderr)")
            }
            #expect(!proxy.standardOutput.contains(Self.resumedNote), "resumed before the recording was read")

            // (b) The test reads the recording now, to its end (the proxy closing it).
            let drained = NIOLockedValueBox<Data?>(nil)
            let drainedAll = DispatchSemaphore(value: 0)
            Thread {
                drained.withLockedValue { $0 = (try? DescriptorReader.readToEnd(handle)) ?? Data() }
                drainedAll.signal()
            }.start()
            let resumed = proxy.waitForOutput { $0.contains(Self.resumedNote) }.met
            #expect(resumed, "no note that reading resumed: \(proxy.standardError)")
            #expect(sender.waitForExit() == 0, "\(sender.standardError)")
            #expect(sender.standardOutput == "done \(Self.messageCount)\n", "\(sender.standardError)")
            proxy.terminate()
            // (60 s: a deadline for a hang only.)
            #expect(drainedAll.wait(timeout: .now() + 60) == .success, "the recording did not end")

            let copy = folder.appendingPathComponent("copy.jsonl").path
            try #require(FileManager.default.createFile(atPath: copy, contents: drained.withLockedValue { $0 }))
            let recording = try RecordingReader(path: copy)
            #expect(recording.tornLine == nil)
            var seen: [Int: Int] = [:]
            for case .success(let recorded) in recording.events() {
                guard case .frame(let frame) = recorded.event, frame.direction == .clientToServer,
                    case .rfc6455(let decoded) = frame.content, decoded.header.opcode == .binary
                else { continue }
                let bytes = Array(decoded.payload.readableBytesView)
                guard let index = Int(String(decoding: bytes.prefix(8), as: UTF8.self)),
                    (0..<Self.messageCount).contains(index)
                else {
                    Issue.record("a message without its number: \(bytes.prefix(16))")
                    continue
                }
                seen[index, default: 0] += 1
                #expect(bytes == Self.payload(index), "message \(index)")
            }
            #expect(
                seen.count == Self.messageCount,
                "missing: \(Set(0..<Self.messageCount).subtracting(seen.keys).sorted().prefix(10))")
            #expect(seen.values.allSatisfy { $0 == 1 }, "a message recorded twice")
        }
    }
}
