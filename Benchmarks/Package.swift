// swift-tools-version:6.1
import PackageDescription

// Throughput benchmarks for WSTapCore (package-benchmark). Run from this folder:
//   swift package --allow-writing-to-package-directory benchmark
// and the proxy benchmark (direct vs wstap vs mitmproxy vs a TCP relay, and a load check), from the root:
//   scripts/bench-proxy.sh
// See ../docs/performance.md.
let package = Package(
    name: "WSTapBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "wstap", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Only the MallocInterposer trait: the default RuntimeInterposer trait pulls in a package that is
        // not available here (and is not needed for the metrics we use).
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "WireBenchmarks",
            dependencies: [
                .product(name: "WSTapCore", package: "wstap"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/WireBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        // Measures a WebSocket path end to end over loopback (a load generator, an echo server and the
        // proxies under test as child processes), and checks 1,000 connections through the proxy.
        .executableTarget(
            name: "proxy-bench",
            dependencies: [
                .product(name: "WSTapCore", package: "wstap"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Benchmarks/ProxyBench",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        ),
        .executableTarget(
            name: "SessionBenchmarks",
            dependencies: [
                .product(name: "WSTapCore", package: "wstap"),
                .product(name: "WSTapSession", package: "wstap"),
                .product(name: "WSTapNetwork", package: "wstap"),
                .product(name: "WSTapProxy", package: "wstap"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SessionBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        // Render time and memory of the terminal UI with a million frames: swift run -c release UIBenchmarks
        .executableTarget(
            name: "UIBenchmarks",
            dependencies: [
                .product(name: "WSTapCore", package: "wstap"),
                .product(name: "WSTapUI", package: "wstap"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/UIBenchmarks"
        ),
        // Echo throughput and latency of wstap's server against node-ws and python3-websockets, driven by one
        // NIO load generator with pre-built masked frames: Benchmarks/echo-benchmark.sh
        .executableTarget(
            name: "EchoLoad",
            dependencies: [
                .product(name: "WSTapCore", package: "wstap"),
                .product(name: "WSTapNetwork", package: "wstap"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/EchoLoad"
        ),
    ]
)
