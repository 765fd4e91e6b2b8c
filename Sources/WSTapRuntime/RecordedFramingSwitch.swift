import Foundation
import WSTapCore
import WSTapExport
import WSTapSession
import WSTapUI

/// The framing toggle in `wstap view`: reads one hybi-00 connection's bytes back from the recording (on a
/// thread of ``BlockingWork``'s, with a reader of its own) and hands the UI the connection decoded again in
/// the other framing.
enum RecordedFramingSwitch {
    static func start(path: String, connection: UInt64, framing: Hybi00Framing, inbox: UIEventInbox) {
        Task {
            try? await BlockingWork.run { read(path: path, connection: connection, framing: framing, inbox: inbox) }
        }
    }

    private static func read(path: String, connection: UInt64, framing: Hybi00Framing, inbox: UIEventInbox) {
        do {
            let reader = try RecordingReader(path: path)
            let filter = RecordingFilter(connection: connection)
            let recorded = reader.events().lazy.compactMap { try? $0.get() }.filter { filter.matches($0.event) }
            guard
                let transcript = ConnectionTranscript.group(recorded: recorded.map { ($0.event, $0.wireBytes) })
                    .first
            else {
                inbox.add(.notice("connection \(connection) is not in \(path)"))
                return
            }
            let now = TrafficTimestamp(
                wallSeconds: Date().timeIntervalSince1970,
                monotonicNanoseconds: DispatchTime.now().uptimeNanoseconds)
            for event in transcript.decodedAgain(in: framing, at: now) { inbox.add(event) }
        } catch {
            inbox.add(.notice("cannot read \(path) again: \(error)"))
        }
    }
}
