import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// SIGINT (Ctrl-C) and SIGTERM for a command that stops cleanly instead of dying at once (the proxy
/// removes its control socket and closes its recording; `connect` sends a close frame): the first signal
/// calls the handler; a second one, or the handler taking longer than `grace`, ends the process with
/// status 128 + the signal number.
public final class TerminationSignals: @unchecked Sendable {  // The sources are only touched under `lock`.
    private let lock = NIOLock()
    private var sources: [any DispatchSourceSignal] = []
    private var received: Int32?

    /// Starts catching SIGINT and SIGTERM; `handler` gets the first one (on a dispatch queue).
    public init(grace: Duration = .seconds(5), _ handler: @escaping @Sendable (Int32) -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let first = self.lock.withLock {
                    guard self.received == nil else { return false }
                    self.received = number
                    return true
                }
                guard first else { exit(128 + number) }
                DispatchQueue.global().asyncAfter(deadline: .now() + Self.seconds(grace)) { exit(128 + number) }
                handler(number)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal that arrived, if one did.
    public var signalReceived: Int32? { lock.withLock { received } }

    /// Stops catching the signals (their default action applies again).
    public func cancel() {
        lock.withLock {
            for source in sources { source.cancel() }
            sources = []
        }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
