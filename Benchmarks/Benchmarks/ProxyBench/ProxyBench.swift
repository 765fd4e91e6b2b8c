// proxy-bench: direct vs `wstap proxy -q` vs mitmdump vs a plain TCP relay, in one run, over loopback;
// then a load check of 1,000 connections through wstap. Run it through scripts/bench-proxy.sh (it
// builds everything and installs mitmproxy); see docs/performance.md, section "Proxy".
//
//   proxy-bench --wstap PATH [--mitmdump PATH | --mitmdump-missing REASON] [--rounds 2] [--seconds 3]
//               [--cpus-proxy 1] [--cpus-load 0-1] [--load-connections 1000] [--load-messages 100] [--load-rounds 1] [--skip-load] [--only-load]
//               [--paths direct,wstap,mitmdump,TCP]   (a subset, by name prefix)
//               [--echo-port P]   (an echo server already running, e.g. `proxy-bench echo`, instead of one in
//                                  this process: 10,000 connections need their echo ends in another process,
//                                  each process's open-files limit being 20,000 here)
//   proxy-bench relay --port P --upstream-port U      (the TCP relay, as a child process)
//   proxy-bench echo                                  (the raw NIO echo server alone; prints its port)

import Foundation
import NIOCore
import NIOPosix

@main
struct ProxyBench {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            if arguments.first == "relay" {
                try await runRelay(Options(Array(arguments.dropFirst())))
            } else if arguments.first == "echo" {
                let echo = try await EchoServer.start(group: MultiThreadedEventLoopGroup.singleton)
                print("listening on \(echo.port)")
                while true { try await Task.sleep(for: .seconds(3600)) }
            } else {
                try await BenchmarkRun(options: try Options(arguments)).run()
            }
        } catch {
            FileHandle.standardError.write(Data("proxy-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    static func runRelay(_ options: Options) async throws {
        guard let port = options.int("--port"), let upstream = options.int("--upstream-port") else {
            throw BenchFailure("relay needs --port and --upstream-port")
        }
        let channel = try await TCPRelay.start(
            port: port, upstreamPort: upstream, group: MultiThreadedEventLoopGroup.singleton)
        print("listening on \(channel.localAddress?.port ?? 0)")
        try await channel.closeFuture.get()
    }
}

/// `--name value` pairs and bare `--flag`s.
struct Options {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    init(_ arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else { throw BenchFailure("unexpected argument \(argument)") }
            if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                values[argument] = arguments[index + 1]
                index += 2
            } else {
                flags.insert(argument)
                index += 1
            }
        }
    }

    func string(_ name: String) -> String? { values[name] }
    func int(_ name: String) -> Int? { values[name].flatMap { Int($0) } }
    func double(_ name: String) -> Double? { values[name].flatMap { Double($0) } }
    func flag(_ name: String) -> Bool { flags.contains(name) }
}
