import Foundation

/// Everything measured, and how it is printed (Markdown, ready for docs/performance.md).
struct Report {
    let tools: Tools
    let rounds: Int
    let seconds: Double
    let proxyCPUs: String?
    let loadBefore: String
    var loadAfter = ""
    var figures: [PathKind: [PathFigures]] = [:]
    var unavailable: [PathKind: String] = [:]
    var peakResidentKiB: [PathKind: Int] = [:]
    var loads: [LoadCheckResult] = []
    var loadError: String?

    /// The 1-, 5- and 15-minute load averages.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func describe(_ figures: PathFigures) -> String {
        var parts = [
            "\(number(figures.messagesPerSecond)) msg/s", "\(number(figures.megabytesPerSecond)) MB/s",
            "p50 \(number(figures.roundTripP50, digits: 1)) µs", "p99 \(number(figures.roundTripP99, digits: 1)) µs",
        ]
        parts += figures.errors
        return parts.joined(separator: ", ")
    }

    static func number(_ value: Double?, digits: Int = 0) -> String {
        guard let value else { return "–" }
        if digits == 0 {
            let rounded = Int(value.rounded())
            let text = String(rounded)
            // Thousands separators for readability.
            var result = ""
            for (offset, character) in text.reversed().enumerated() {
                if offset > 0, offset % 3 == 0, character != "-" { result.append(",") }
                result.append(character)
            }
            return String(result.reversed())
        }
        return String(format: "%.\(digits)f", value)
    }

    private func mean(_ kind: PathKind, _ value: (PathFigures) -> Double?) -> Double? {
        let values = (figures[kind] ?? []).compactMap(value)
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    private static func difference(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b else { return nil }
        return a - b
    }

    private static func ratio(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b, b > 0 else { return nil }
        return a / b
    }

    func text() -> String {
        var lines: [String] = []
        let info = ProcessInfo.processInfo
        let model =
            ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n")
            .first { $0.hasPrefix("model name") }.map { $0.split(separator: ":").last.map(String.init) ?? "" }?
            .trimmingCharacters(in: .whitespaces) ?? "?"
        lines.append("## Proxy benchmark")
        lines.append("")
        lines.append(
            "- machine: \(info.activeProcessorCount) cores (\(model)), "
                + "\(info.physicalMemory >> 30) GiB; load average before \(loadBefore), after \(loadAfter)")
        lines.append(
            "- load generator: SwiftNIO, one event loop thread, pre-built masked frames; echo server: raw SwiftNIO "
                + "echo (not wstap's WebSocketServer), one thread; both in the benchmark process")
        lines.append(
            "- proxies: separate processes"
                + (proxyCPUs.map { ", pinned to CPU \($0) with taskset" } ?? ", not pinned")
                + "; \(rounds) rounds, each measurement 0.5 s warm-up + \(Self.number(seconds, digits: 1)) s")
        for (kind, reason) in unavailable.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            lines.append("- \(kind.rawValue): not measured (\(reason))")
        }
        lines.append("")
        lines.append(
            "| path | round | 16 B msg/s (64 in flight) | 1 MiB MB/s (4 in flight) | RTT p50 µs | RTT p99 µs "
                + "| added p50 µs | added p99 µs |")
        lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for kind in PathKind.allCases {
            for (index, round) in (figures[kind] ?? []).enumerated() {
                let direct = figures[.direct].flatMap { index < $0.count ? $0[index] : nil }
                lines.append(
                    "| \(kind.rawValue) | \(index + 1) | \(Self.number(round.messagesPerSecond)) "
                        + "| \(Self.number(round.megabytesPerSecond)) | \(Self.number(round.roundTripP50, digits: 1)) "
                        + "| \(Self.number(round.roundTripP99, digits: 1)) "
                        + "| \(kind == .direct ? "–" : Self.number(Self.difference(round.roundTripP50, direct?.roundTripP50), digits: 1)) "
                        + "| \(kind == .direct ? "–" : Self.number(Self.difference(round.roundTripP99, direct?.roundTripP99), digits: 1)) |"
                )
                for error in round.errors { lines.append("|  | | error: \(error) | | | | | |") }
            }
        }
        lines.append("")
        lines.append("Peak RSS (VmHWM) of the proxies over these rounds:")
        for kind in PathKind.allCases {
            guard let kib = peakResidentKiB[kind] else { continue }
            lines.append("- \(kind.rawValue): \(Self.number(Double(kib) / 1024, digits: 1)) MiB")
        }
        lines.append("")
        lines.append("### Targets (means of the rounds)")
        lines.append("")
        lines.append("| target | figure | met? |")
        lines.append("| --- | --- | --- |")
        let wstapRate = mean(.wstap) { $0.messagesPerSecond }
        let relayRate = mean(.relay) { $0.messagesPerSecond }
        let mitmRate = mean(.mitmproxy) { $0.messagesPerSecond }
        let wstapBytes = mean(.wstap) { $0.megabytesPerSecond }
        let relayBytes = mean(.relay) { $0.megabytesPerSecond }
        let addedP50 = Self.difference(mean(.wstap) { $0.roundTripP50 }, mean(.direct) { $0.roundTripP50 })
        func verdict(_ value: Double?, _ passes: (Double) -> Bool) -> String {
            guard let value else { return "not measured" }
            return passes(value) ? "**met**" : "**missed**"
        }
        let rateShare = Self.ratio(wstapRate, relayRate)
        lines.append(
            "| 16 B messages: wstap ≥ 90 % of the TCP relay | \(Self.number(wstapRate)) vs \(Self.number(relayRate)) msg/s "
                + "= \(Self.number(rateShare.map { $0 * 100 })) % | \(verdict(rateShare) { $0 >= 0.9 }) |")
        let byteShare = Self.ratio(wstapBytes, relayBytes)
        lines.append(
            "| 1 MiB messages: wstap ≥ 90 % of the TCP relay | \(Self.number(wstapBytes)) vs \(Self.number(relayBytes)) MB/s "
                + "= \(Self.number(byteShare.map { $0 * 100 })) % | \(verdict(byteShare) { $0 >= 0.9 }) |")
        let mitmTimes = Self.ratio(wstapRate, mitmRate)
        lines.append(
            "| 16 B messages: wstap ≥ 10× mitmdump | \(Self.number(wstapRate)) vs \(Self.number(mitmRate)) msg/s "
                + "= \(Self.number(mitmTimes, digits: 1))× | \(verdict(mitmTimes) { $0 >= 10 }) |")
        let recordingRate = Self.ratio(mean(.wstapRecording) { $0.messagesPerSecond }, wstapRate)
        lines.append(
            "| 16 B messages: recording on ≥ 90 % (issue 21) of off | \(Self.number(mean(.wstapRecording) { $0.messagesPerSecond })) vs "
                + "\(Self.number(wstapRate)) msg/s = \(Self.number(recordingRate.map { $0 * 100 })) % "
                + "| \(verdict(recordingRate) { $0 >= 0.9 }) |")
        let recordingBytes = Self.ratio(mean(.wstapRecording) { $0.megabytesPerSecond }, wstapBytes)
        lines.append(
            "| 1 MiB messages: recording on ≥ 80 % of off | \(Self.number(mean(.wstapRecording) { $0.megabytesPerSecond })) vs "
                + "\(Self.number(wstapBytes)) MB/s = \(Self.number(recordingBytes.map { $0 * 100 })) % "
                + "| \(verdict(recordingBytes) { $0 >= 0.8 }) |")
        lines.append(
            "| added p50 round trip < 100 µs | \(Self.number(addedP50, digits: 1)) µs "
                + "| \(verdict(addedP50) { $0 < 100 }) |")
        lines.append("")
        lines.append("### Load check")
        lines.append("")
        for load in loads {
            let total = load.connections * load.messagesPerConnection
            let ok = load.failures.isEmpty && load.messagesVerified == total
            lines.append(
                "- \(load.connections) concurrent connections × \(load.messagesPerConnection) messages through "
                    + "`wstap proxy -q`: \(load.connectionsVerified) connections and \(load.messagesVerified) of "
                    + "\(total) messages verified byte for byte and in order, each connection closed with a close "
                    + "handshake: **\(ok ? "passed" : "FAILED")**")
            lines.append(
                "- \(Self.number(Double(load.payloadBytesEchoed) / 1e6, digits: 1)) MB of payload echoed in "
                    + "\(Self.number(load.seconds, digits: 1)) s (connecting included)")
            lines.append(
                "- proxy memory: peak RSS (VmHWM) \(Self.number(load.proxyPeakResidentKiB.map { Double($0) / 1024 }, digits: 1)) MiB; "
                    + "RSS idle before \(Self.number(load.proxyResidentIdleKiB.map { Double($0) / 1024 }, digits: 1)) MiB, "
                    + "after \(Self.number(load.proxyResidentAfterKiB.map { Double($0) / 1024 }, digits: 1)) MiB")
            for failure in load.failures.prefix(5) { lines.append("- failure: \(failure)") }
            if load.failures.count > 5 { lines.append("- … and \(load.failures.count - 5) more failures") }
        }
        if let loadError {
            lines.append("- load check failed to run: \(loadError)")
        } else if loads.isEmpty {
            lines.append("- not run")
        }
        return lines.joined(separator: "\n")
    }
}
