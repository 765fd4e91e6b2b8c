import WSTapCore

extension ConnectionSummary {
    /// Where a connection goes, as the connections list shows it: the target's scheme and authority with the
    /// path (and query) of the request that opened it. A proxy's target names the server only (for the
    /// forward proxy `ws://host:port/`); the request says which resource on it.
    static func address(of opened: TrafficEvent.ConnectionOpened) -> String {
        let path = opened.request.target
        guard path.hasPrefix("/"), let scheme = opened.target.firstRange(of: "://") else { return opened.target }
        let authorityEnd = opened.target[scheme.upperBound...].firstIndex(of: "/") ?? opened.target.endIndex
        return String(opened.target[..<authorityEnd]) + path
    }

    /// `address` in `width` columns (padded): whole when it fits; else without its query (`?…`) when that
    /// fits, so the server and the path stay readable; else cut at the end (`…`).
    static func fitted(_ address: String, _ width: Int) -> String {
        var shown = address
        if shown.count > width, let query = shown.firstIndex(of: "?") {
            shown = shown[..<query] + "?…"
        }
        if shown.count > width { shown = String(address.prefix(max(0, width - 1))) + "…" }
        return shown + String(repeating: " ", count: max(0, width - shown.count))
    }
}
