import WSTapCore
import WSTapLenses

/// Feeds messages to a lens's decoder for one connection, as the lens reader does.
final class LensRun {
    var decoder: any LensDecoder

    init(_ lens: any Lens, target: String = "/", subprotocol: String? = nil) {
        decoder = lens.decoder(for: LensConnection(subprotocol: subprotocol, target: target))
    }

    func decode(_ message: LensMessage) -> [LensView] {
        decoder.decode(message)
    }

    /// The one view of `message`, or nil when there are none or several.
    func one(_ message: LensMessage) -> LensView? {
        let views = decoder.decode(message)
        return views.count == 1 ? views[0] : nil
    }
}

extension LensMessage {
    /// The same message going the other way.
    func going(_ direction: TrafficDirection) -> LensMessage {
        var message = self
        message.direction = direction
        return message
    }
}
