import WSTapUI

/// Carries out the UI's effects on a running proxy.
enum ProxyEffects {
    static func performer(inbox: UIEventInbox) -> @Sendable (UIEffect) -> Void {
        { effect in
            switch effect {
            case .quit:
                break
            case .setIntercept:
                inbox.add(.interceptChanged(false))
                inbox.add(.notice("intercept: the proxy in this build cannot hold frames yet"))
            case .decideHeld, .inject, .send, .closeSide, .setFraming:
                inbox.add(.notice("the proxy in this build cannot change traffic yet (inject, intercept, framing)"))
            case .startRecording:
                inbox.add(.recordingChanged(path: nil))
                inbox.add(.notice("recording is not in this build yet"))
            case .stopRecording:
                inbox.add(.recordingChanged(path: nil))
            }
        }
    }
}
