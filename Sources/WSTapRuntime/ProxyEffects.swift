import NIOCore
import WSTapCore
public import WSTapProxy
import WSTapSession
public import WSTapUI

/// Carries out the UI's effects on a running proxy through its controller, and reports back to the UI.
public enum ProxyEffects {
    /// The function that carries out an effect on the proxy of `controller`.
    public static func performer(controller: ProxyController, recording: RecordingSwitch, inbox: UIEventInbox)
        -> @Sendable (UIEffect) -> Void
    {
        { effect in
            do {
                switch effect {
                case .quit, .loadFile, .searchRecording, .stopRecordingSearch:
                    break  // TerminalUI quits, and reads payload files for the composer
                case .setIntercept(let on):
                    controller.setIntercept(
                        on ? InterceptSettings(directions: [.clientToServer, .serverToClient]) : .off)
                    inbox.add(.interceptChanged(on))
                case .decideHeld(let holdID, let decision):
                    switch decision {
                    case .forward: try controller.decide(holdID, .forward)
                    case .drop: try controller.decide(holdID, .drop)
                    case .replace(let bytes):
                        do {
                            try controller.decide(holdID, .replace(ByteBuffer(bytes: bytes)))
                            inbox.add(.sendResult(effect, error: nil))
                        } catch {
                            inbox.add(.sendResult(effect, error: "\(error)"))
                        }
                    }
                case .inject(let connection, let direction, let bytes):
                    do {
                        try controller.inject(ByteBuffer(bytes: bytes), connection: connection, direction: direction)
                        inbox.add(.sendResult(effect, error: nil))
                    } catch {
                        inbox.add(.sendResult(effect, error: "\(error)"))
                    }
                case .closeSide(let connection, let side):
                    try controller.close(connection: connection, side: side)
                case .setFraming(let connection, let framing):
                    try controller.setFraming(framing, connection: connection)
                case .send:
                    inbox.add(.notice("a proxy has no client connection of its own: inject into a connection instead"))
                case .startRecording(let path):
                    recording.start(path: path, reportingTo: inbox)
                case .stopRecording:
                    recording.stop(reportingTo: inbox)
                }
            } catch {
                inbox.add(.notice("\(error)"))
            }
        }
    }
}
