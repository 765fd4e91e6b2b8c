import NIOConcurrencyHelpers
import WSTapNetwork

/// What Ctrl-C (or TERM) reaches in a `wstap connect` that may connect again: the open connection, which it
/// closes with 1001 (going away), or the wait before the next attempt, which it ends.
final class ClientRunControl: Sendable {
    private struct State {
        var connection: WebSocketConnection?
        var interrupted = false
        var sleeper: Task<Void, any Error>?
    }

    private let state = NIOLockedValueBox(State())

    /// Whether a signal arrived.
    var interrupted: Bool { state.withLockedValue { $0.interrupted } }

    /// A signal arrived: closes the connection with 1001, or ends the wait.
    func interrupt() {
        let (connection, sleeper) = state.withLockedValue {
            $0.interrupted = true
            return ($0.connection, $0.sleeper)
        }
        sleeper?.cancel()
        if let connection {
            Task { _ = try? await connection.close(code: .goingAway, reason: "") }
        }
    }

    /// The connection now open; false when a signal arrived already (the caller closes it).
    func attach(_ connection: WebSocketConnection) -> Bool {
        state.withLockedValue {
            guard !$0.interrupted else { return false }
            $0.connection = connection
            return true
        }
    }

    /// The connection ended.
    func detach() {
        state.withLockedValue { $0.connection = nil }
    }

    /// Waits `duration`; false when a signal ended the wait (or had arrived before).
    func sleep(for duration: Duration) async -> Bool {
        let sleeper = Task { try await Task.sleep(for: duration) }
        let waiting = state.withLockedValue {
            guard !$0.interrupted else { return false }
            $0.sleeper = sleeper
            return true
        }
        guard waiting else {
            sleeper.cancel()
            return false
        }
        let slept = (try? await sleeper.value) != nil
        state.withLockedValue { $0.sleeper = nil }
        return slept
    }
}
