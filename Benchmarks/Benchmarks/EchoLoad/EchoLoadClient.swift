import Foundation
import NIOCore
import WSTapCore
import WSTapNetwork

/// The library client (``WebSocketClient``) as a load generator, through one of its APIs, so that what each
/// API costs can be compared with the raw generator (``EchoLoad/load``) and node-ws's client on the same server:
///
/// - `events`: ``WebSocketConnection/nextEvent()`` and ``WebSocketConnection/send(_:opcode:finalFragment:flush:)``
///   with a `ByteBuffer`, a reply flushed only when no other message waits (the lowest level a user has);
/// - `seed`: the original library's style, ``WebSocketConnection/receive(payloadType:)`` (bytes) and
///   ``WebSocketConnection/send(bytes:)``, every send flushed and waited for;
/// - `stream`: ``WebSocketConnection/receiveStream()``, each message read as a stream of chunks, then
///   ``WebSocketConnection/send(bytes:)``.
///
/// `onLoop` runs the client's task on the connection's event loop (``WebSocketConnection/executor``); without
/// it the task runs on Swift's global executor and every send and receive crosses threads.
enum EchoLoadClient {
    enum API: String {
        case events, seed, stream
    }

    static func run(
        port: Int, size: Int, inFlight: Int, seconds: Double, api: API, onLoop: Bool
    ) async throws -> Double {
        var options = ClientOptions()
        options.offersCompression = false
        options.maxMessageSize = 64 << 20
        let url = try WebSocketURL("ws://127.0.0.1:\(port)/")
        let connection = try await WebSocketClient.connect(to: url, options: options)
        let counter = Counter()
        let body: @Sendable () async throws -> Void = {
            try await exchange(connection, size: size, inFlight: inFlight, api: api, counter: counter)
        }
        let task: Task<Void, any Error>
        if #available(macOS 15.0, *), onLoop {
            task = Task(executorPreference: connection.executor) { try await body() }
        } else {
            task = Task.detached { try await body() }
        }
        try await Task.sleep(for: .seconds(1))  // warm-up
        let start = counter.value
        let startTime = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        let end = counter.value
        let elapsed = ContinuousClock.now - startTime
        counter.stop()
        _ = try? await task.value
        _ = await connection.close()
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(end - start) / elapsedSeconds
    }

    /// Keeps `inFlight` messages on their way: one more sent for every echo received, until stopped.
    private static func exchange(
        _ connection: WebSocketConnection, size: Int, inFlight: Int, api: API, counter: Counter
    ) async throws {
        let payload = [UInt8](repeating: 0x61, count: size)
        let buffer = ByteBuffer(bytes: payload)
        for index in 0..<inFlight {
            switch api {
            case .events: try await connection.send(buffer, opcode: .binary, flush: index == inFlight - 1)
            case .seed, .stream: try await connection.send(bytes: payload)
            }
        }
        while !counter.isStopped {
            switch api {
            case .events:
                guard let event = await connection.nextEvent() else { return }
                guard case .message = event else { continue }
                counter.add()
                try await connection.send(buffer, opcode: .binary, flush: !connection.holdsMessage)
            case .seed:
                guard case .bytes(let bytes) = await connection.receive(payloadType: .binary) else { return }
                guard bytes.count == size else { throw EchoLoadError("echo of \(bytes.count) bytes, not \(size)") }
                counter.add()
                try await connection.send(bytes: payload)
            case .stream:
                guard let stream = try await connection.receiveStream() else { return }
                var count = 0
                for try await chunk in stream { count += chunk.readableBytes }
                guard count == size else { throw EchoLoadError("echo of \(count) bytes, not \(size)") }
                counter.add()
                try await connection.send(bytes: payload)
            }
        }
    }

    /// Echoes counted by the client's task, read by the timer.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        private var stopped = false
        var value: Int { lock.withLock { count } }
        var isStopped: Bool { lock.withLock { stopped } }
        func add() { lock.withLock { count += 1 } }
        func stop() { lock.withLock { stopped = true } }
    }
}
