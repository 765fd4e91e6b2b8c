import Foundation
import NIOCore
import NIOPosix

/// One path's figures in one round.
struct PathFigures {
    var messagesPerSecond: Double?
    var megabytesPerSecond: Double?
    var roundTripP50: Double?
    var roundTripP99: Double?
    var roundTripSamples = 0
    var errors: [String] = []
}

/// The whole run: the paths measured round after round, then the load check.
struct BenchmarkRun {
    let options: Options

    func run() async throws {
        guard let wstap = options.string("--wstap") else { throw BenchFailure("--wstap PATH is required") }
        let logDirectory = options.string("--logs") ?? NSTemporaryDirectory() + "proxy-bench-logs"
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let tools = Tools(
            wstap: wstap, wstapBaseline: options.string("--wstap-baseline"), mitmdump: options.string("--mitmdump"),
            mitmdumpMissingReason: options.string("--mitmdump-missing"),
            benchExecutable: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0],
            logDirectory: logDirectory)
        let rounds = options.int("--rounds") ?? 2
        let seconds = options.double("--seconds") ?? 3
        let proxyCPUs = options.string("--cpus-proxy")
        let connections = options.int("--load-connections") ?? 1000
        let messages = options.int("--load-messages") ?? 100

        let echoGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let clientLoop = clientGroup.next()
        let echo = try await EchoServer.start(group: echoGroup)
        // The load check's echo ends, in this process or (--echo-port) in another.
        let loadEchoPort = options.int("--echo-port") ?? echo.port
        var report = Report(
            tools: tools, rounds: rounds, seconds: seconds, proxyCPUs: proxyCPUs, loadBefore: Report.loadAverage())
        progress("echo server (raw NIO) on port \(echo.port); load average \(report.loadBefore)")

        if !options.flag("--only-load") {
            var paths: [PathUnderTest] = []
            let chosen = options.string("--paths").map { $0.split(separator: ",").map(String.init) }
            for kind in PathKind.allCases where chosen?.contains(where: { kind.rawValue.hasPrefix($0) }) ?? true {
                if kind == .mitmproxy, tools.mitmdump == nil {
                    report.unavailable[kind] = tools.mitmdumpMissingReason ?? "mitmdump not given"
                    continue
                }
                if [.wstapBaseline, .wstapBaselineJSON, .wstapBaselineLenses].contains(kind), tools.wstapBaseline == nil
                {
                    continue
                }
                do {
                    paths.append(
                        try await PathUnderTest.start(
                            kind, echoPort: echo.port, tools: tools, cpus: proxyCPUs, group: clientGroup))
                } catch {
                    report.unavailable[kind] = "\(error)"
                }
            }
            let socketIO = options.flag("--socketio")
            let measurement = { (port: Int) in
                Measurement(port: port, clientLoop: clientLoop, warmup: .milliseconds(500), duration: .seconds(seconds))
            }
            for round in 1...max(1, rounds) {
                for path in paths {
                    var figures = PathFigures()
                    let bench = measurement(path.port)
                    do {
                        // --socketio: Socket.IO events (text) on a Socket.IO path, which the lenses read.
                        figures.messagesPerSecond =
                            try await bench.pipelined(
                                payloadSize: 16, window: 64,
                                text: socketIO ? Array(#"42["chat",{"m":"hi"}]"#.utf8) : nil,
                                path: socketIO ? "/socket.io/?EIO=4&transport=websocket" : "/"
                            ).messagesPerSecond
                    } catch { figures.errors.append("16 B: \(error)") }
                    if options.flag("--only-small") {
                        report.figures[path.kind, default: []].append(figures)
                        progress("round \(round) \(path.kind.rawValue): \(Report.describe(figures))")
                        continue
                    }
                    do {
                        figures.megabytesPerSecond = try await bench.pipelined(payloadSize: 1 << 20, window: 4)
                            .megabytesPerSecond
                    } catch { figures.errors.append("1 MiB: \(error)") }
                    do {
                        let times = try await bench.roundTrips(payloadSize: 16)
                        figures.roundTripP50 = times.p50
                        figures.roundTripP99 = times.p99
                        figures.roundTripSamples = times.samples
                    } catch { figures.errors.append("latency: \(error)") }
                    report.figures[path.kind, default: []].append(figures)
                    let recorded =
                        path.recordedBytes.map { "; recording \(($0 + 500_000) / 1_000_000) MB so far" } ?? ""
                    progress("round \(round) \(path.kind.rawValue): \(Report.describe(figures))\(recorded)")
                }
            }
            for path in paths {
                report.peakResidentKiB[path.kind] = path.process?.peakResidentKiB
                path.stop()
            }
        }

        if !options.flag("--skip-load") {
            progress("load check: \(connections) connections × \(messages) messages through wstap proxy -q")
            // A fresh proxy process, so its peak memory is the load check's own.
            let proxy = try await PathUnderTest.start(
                .wstap, echoPort: loadEchoPort, tools: tools, cpus: options.string("--cpus-load"), group: clientGroup)
            // More than one round on the same proxy process shows whether memory comes back after a round.
            for round in 1...max(1, options.int("--load-rounds") ?? 1) {
                do {
                    let result = try await runLoadCheck(
                        port: proxy.port, connections: connections, messages: messages, clientLoop: clientLoop,
                        proxy: proxy.process)
                    report.loads.append(result)
                    progress(
                        "load round \(round): \(result.messagesVerified) messages verified, \(result.failures.count) failures, "
                            + "proxy RSS \(result.proxyResidentAfterKiB ?? 0) KiB (peak \(result.proxyPeakResidentKiB ?? 0) KiB)"
                    )
                } catch {
                    report.loadError = "\(error)"
                }
            }
            proxy.stop()
        }
        report.loadAfter = Report.loadAverage()
        try? await echo.stop()
        print(report.text())
        try await clientGroup.shutdownGracefully()
        try await echoGroup.shutdownGracefully()
    }

    private func progress(_ line: String) {
        FileHandle.standardError.write(Data("· \(line)\n".utf8))
    }
}
