import WSTapCore
import WSTapLenses

/// How the statistics view sorts its method table (`s` cycles).
public enum StatisticsSort: String, CaseIterable, Sendable {
    case count
    case bytes
    case p50
    case p99
    case max
    case errors

    var next: StatisticsSort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self).map { $0 + 1 } ?? 0) % all.count]
    }
}

extension UIState {
    /// The lens keys of the list: `a` jumps between a request and its answer, `l` shows the raw payloads
    /// only (or the lenses again), `L` changes the lens of the selected row's connection, `S` opens the
    /// statistics view.
    mutating func handleLensKey(_ key: Key) -> [UIEffect] {
        switch key {
        case .character("a"): jumpToPartner()
        case .character("l"):
            showsLens.toggle()
            notice = showsLens ? "lenses shown: l shows the raw payloads only" : "raw payloads: l shows the lenses"
        case .character("L"): cycleLens()
        case .character("S"):
            overlay = .statistics
            overlaySelection = 0
        default: break
        }
        return []
    }

    /// The reading of the row that starts at `sequence`, when the lenses are shown.
    func lensRow(_ sequence: Int) -> LensRows.Row? {
        showsLens ? lenses.row(sequence) : nil
    }

    /// The list's preview of a row a lens read: `sio EVENT chat ["hi"] ack=3`, an answer's latency after it;
    /// nil for rows no lens read and for plain JSON (its payload says the same).
    func lensPreview(_ sequence: Int) -> String? {
        guard let row = lensRow(sequence), row.lens != "json", let first = row.views.first else { return nil }
        var text = Self.lensTag(row.lens) + " " + first.summary
        if row.views.count > 1 { text += " (+\(row.views.count - 1))" }
        if let latency = row.latencyNanoseconds { text += " (" + Self.milliseconds(latency) + ")" }
        if row.unanswered { text += " (no answer)" }
        return text
    }

    /// A short name of a lens for the list's narrow preview column.
    static func lensTag(_ name: String) -> String {
        switch name {
        case "socketio": return "sio"
        case "graphql": return "gql"
        case "jsonrpc": return "rpc"
        case "signalr": return "sigr"
        case "phoenix": return "phx"
        case "actioncable": return "cable"
        case "msgpack": return "mpk"
        case "protobuf": return "pb"
        default: return name
        }
    }

    /// `2.655 ms`.
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let value = Double(nanoseconds) / 1e6
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) ms"
    }

    /// Moves the cursor from a request to its first answer, or from an answer to its request.
    mutating func jumpToPartner() {
        guard let selected, let row = lenses.row(selected) else {
            notice = "a jumps between a request and its answer: this row has no lens reading"
            return
        }
        guard let partner = row.partner else {
            let role = row.views.compactMap(\.correlation).first?.role
            switch role {
            case .request?: notice = row.unanswered ? "no answer came to this request" : "no answer yet"
            case .response?: notice = "its request was not seen"
            default: notice = "this message pairs with no other"
            }
            return
        }
        guard position(of: partner) != nil else {
            notice =
                frames.row(partner) == nil
                ? "its partner (#\(partner + 1)) is no longer held"
                : "its partner (#\(partner + 1)) is not shown (filter)"
            return
        }
        following = false
        self.selected = partner
        detailScroll = 0
        settleViewport()
        let isAnswer = lenses.row(partner)?.views.contains { $0.correlation?.role == .response } ?? false
        notice = "#\(partner + 1): \(isAnswer ? "the answer" : "the request") (a jumps back)"
    }

    /// Gives the selected row's connection the next lens (then none, then automatic again), from its next
    /// message on.
    mutating func cycleLens() {
        guard let selected, let row = frames.row(selected) else {
            notice = "no row selected: L changes the lens of the selected row's connection"
            return
        }
        let connection = row.connection
        let names = LensRegistry.names + ["none", "auto"]
        // A connection no lens reads (yet) goes to the first lens.
        let current = lenses.reader.lensName(of: connection) ?? "auto"
        let index = names.firstIndex(of: current) ?? (names.count - 1)
        let next = names[(index + 1) % names.count]
        switch next {
        case "none": lenses.choose(nil, for: connection, automatic: false)
        case "auto": lenses.choose(nil, for: connection, automatic: true)
        default: lenses.choose(LensRegistry.named(next), for: connection, automatic: false)
        }
        notice = "connection \(connection): lens \(next) from its next message (L changes it again)"
    }

    // MARK: The statistics view

    mutating func handleStatisticsKey(_ key: Key) -> [UIEffect] {
        switch key {
        case .character("q"): return [.quit]
        case .escape, .character("S"): overlay = nil
        case .character("s"):
            statisticsSort = statisticsSort.next
            notice = "methods sorted by \(statisticsSort.rawValue)"
        case .character("t"):
            statisticsShowsSlowest.toggle()
            overlaySelection = 0
        case .up, .character("k"): overlaySelection = max(0, overlaySelection - 1)
        case .down, .character("j"):
            overlaySelection = min(max(0, lenses.slowest.count - 1), overlaySelection + 1)
        case .enter:
            guard statisticsShowsSlowest, overlaySelection < lenses.slowest.count else { break }
            let call = lenses.slowest[overlaySelection]
            let target = call.request.flatMap { position(of: $0) != nil ? $0 : nil } ?? call.answer
            guard position(of: target) != nil else {
                notice = "that call is no longer shown"
                break
            }
            overlay = nil
            following = false
            selected = target
            detailOpen = true
            detailScroll = 0
            settleViewport()
        default: break
        }
        return []
    }

    /// The methods of the statistics view, sorted as chosen (the largest first).
    var sortedMethods: [LensStatistics.Method] {
        let methods = lenses.statistics.methods
        switch statisticsSort {
        case .count: return methods
        case .bytes: return methods.sorted { $0.bytes > $1.bytes }
        case .errors: return methods.sorted { $0.errors + $0.unanswered > $1.errors + $1.unanswered }
        case .p50: return methods.sorted { ($0.latency(percentile: 0.5) ?? 0) > ($1.latency(percentile: 0.5) ?? 0) }
        case .p99:
            return methods.sorted { ($0.latency(percentile: 0.99) ?? 0) > ($1.latency(percentile: 0.99) ?? 0) }
        case .max: return methods.sorted { ($0.maxLatency ?? 0) > ($1.maxLatency ?? 0) }
        }
    }
}
