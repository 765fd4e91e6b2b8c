import WSTapRuntime
import WSTapUI

/// What the runtime told the UI, read out of an inbox.
struct UIEvents {
    var notices: [String] = []
    var recordingChanges: [String?] = []
    var interceptChanges: [Bool] = []
    /// Send results: the error, `nil` for success.
    var sendResults: [String?] = []

    /// Nothing yet.
    init() {}

    /// Everything other than traffic that waits in `inbox` (which is drained).
    init(draining inbox: UIEventInbox) {
        add(draining: inbox)
    }

    /// Adds everything other than traffic that waits in `inbox` (which is drained).
    mutating func add(draining inbox: UIEventInbox) {
        for event in inbox.drain() {
            switch event {
            case .notice(let text): notices.append(text)
            case .recordingChanged(let path): recordingChanges.append(path)
            case .interceptChanged(let on): interceptChanges.append(on)
            case .sendResult(_, let error): sendResults.append(error)
            default: break
            }
        }
    }
}
