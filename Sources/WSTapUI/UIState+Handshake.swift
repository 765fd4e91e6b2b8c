import WSTapCore

extension UIState {
    /// Opens the handshake view of the selected frame's connection (or, with no frame selected, of the newest
    /// connection); from the connections list, of the selected connection.
    mutating func openHandshake() {
        let connection: UInt64?
        if overlay == .connections {
            connection = overlaySelection < connectionOrder.count ? connectionOrder[overlaySelection] : nil
        } else if let selected, let row = frames.row(selected) {
            connection = row.connection
        } else {
            connection = connectionOrder.last
        }
        guard let connection else {
            notice = "no connection yet: no handshake to show"
            return
        }
        handshakeReturnsToConnections = overlay == .connections
        handshakeScroll = 0
        overlay = .handshake(connection: connection)
    }

    /// The keys of the handshake view: scrolling, and Esc or `h` back to where it was opened from.
    mutating func handleHandshakeKey(_ key: Key, connection: UInt64) -> [UIEffect] {
        let page = max(1, layout.hintRow - layout.listTop - 1)
        let most = HandshakeView.maxScroll(self, connection: connection)
        switch key {
        case .character("q"): return [.quit]
        case .up, .character("k"): handshakeScroll = max(0, min(handshakeScroll, most) - 1)
        case .down, .character("j"): handshakeScroll = min(most, handshakeScroll + 1)
        case .pageUp, .control("b"): handshakeScroll = max(0, min(handshakeScroll, most) - page)
        case .pageDown, .control("f"), .character(" "): handshakeScroll = min(most, handshakeScroll + page)
        case .home, .character("g"): handshakeScroll = 0
        case .end, .character("G"): handshakeScroll = most
        case .escape, .character("h"):
            overlay = handshakeReturnsToConnections ? .connections : nil
        default: break
        }
        return []
    }
}
