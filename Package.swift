// swift-tools-version:6.1
import PackageDescription

/// Settings every target shares: the upcoming features we adopt package-wide.
let sharedSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "wstap",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "wstap", targets: ["wstap"]),
        .library(name: "WSTapCore", targets: ["WSTapCore"]),
        .library(name: "WSTapInspect", targets: ["WSTapInspect"]),
        .library(name: "WSTapNetwork", targets: ["WSTapNetwork"]),
        .library(name: "WSTapPipeline", targets: ["WSTapPipeline"]),
        .library(name: "WSTapProxy", targets: ["WSTapProxy"]),
        .library(name: "WSTapCompression", targets: ["WSTapCompression"]),
        .library(name: "WSTapSession", targets: ["WSTapSession"]),
        .library(name: "WSTapExport", targets: ["WSTapExport"]),
        .library(name: "WSTapReplay", targets: ["WSTapReplay"]),
        .library(name: "WSTapUI", targets: ["WSTapUI"]),
        .library(name: "WSTapRuntime", targets: ["WSTapRuntime"]),
        .library(name: "WSTapConformance", targets: ["WSTapConformance"]),
        .library(name: "WSTapMutation", targets: ["WSTapMutation"]),
        .library(name: "WSTapLenses", targets: ["WSTapLenses"]),
        .library(name: "WSTapFilter", targets: ["WSTapFilter"]),
        .library(name: "WSTapProtobufSchema", targets: ["WSTapProtobufSchema"]),
        .library(name: "WSTapScript", targets: ["WSTapScript"]),
        .library(name: "WSTapMCP", targets: ["WSTapMCP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        // The descriptor types only (a descriptor set for --proto); no code is generated.
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.4.0"),
        // `wstap mcp`: the Model Context Protocol server (WSTapMCP only).
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", exact: "0.12.1"),
    ],
    targets: [
        // The protocol core: RFC 6455 and hybi-00 on the wire. Pure Swift, no I/O.
        .target(
            name: "WSTapCore",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // Lenses: application protocols read from whole messages (Socket.IO, MQTT, GraphQL, JSON-RPC, JSON) and
        // requests paired with their answers. Pure Swift, no I/O.
        .target(
            name: "WSTapLenses",
            dependencies: ["WSTapCore", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: sharedSwiftSettings
        ),
        // --proto: a descriptor set (or a .proto file through protoc) made into the protobuf lens's schema.
        .target(
            name: "WSTapProtobufSchema",
            dependencies: ["WSTapLenses", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: sharedSwiftSettings
        ),
        // The filter language: one grammar for every place that filters (rules, views, intercept). Pure Swift.
        .target(
            name: "WSTapFilter",
            dependencies: ["WSTapCore", "WSTapLenses", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: sharedSwiftSettings
        ),
        // permessage-deflate (RFC 7692) message compression over zlib; the negotiation itself is in WSTapCore.
        .target(
            name: "WSTapCompression",
            dependencies: [
                "WSTapCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // Client and server endpoints over SwiftNIO.
        .target(
            name: "WSTapNetwork",
            dependencies: [
                "WSTapCore",
                "WSTapCompression",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // The man-in-the-middle proxy: relays bytes unchanged and taps both directions.
        .target(
            name: "WSTapPipeline",
            dependencies: [
                "WSTapCore",
                "WSTapFilter",
                "WSTapInspect",
                "WSTapCompression",
                "WSTapNetwork",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .target(
            name: "WSTapProxy",
            dependencies: [
                "WSTapCore",
                "WSTapCompression",
                "WSTapPipeline",
                "WSTapFilter",
                "WSTapInspect",
                "WSTapNetwork",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // `--script`: a program that changes traffic, spoken to in JSON lines over its standard input and output.
        .target(
            name: "WSTapScript",
            dependencies: [
                "WSTapCore",
                "WSTapFilter",
                "WSTapInspect",
                "WSTapLenses",
                "WSTapPipeline",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // `wstap mcp`: a Model Context Protocol server on stdio that drives a running proxy through its control
        // socket. The only target that depends on the MCP SDK.
        .target(
            name: "WSTapMCP",
            dependencies: [
                "WSTapCore",
                "WSTapProxy",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // The conformance cases (Autobahn's categories) as data, the engine that runs them byte-exactly over raw
        // TCP and judges what comes back, and the runs of `wstap conformance` against any endpoint.
        .target(
            name: "WSTapConformance",
            dependencies: [
                "WSTapCore",
                "WSTapCompression",
                "WSTapMutation",
                "WSTapFilter",
                "WSTapInspect",
                "WSTapNetwork",
                "WSTapPipeline",
                "WSTapSession",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // What `wstap fuzz` sends: the grammar of messages, the mutations of frames and payloads, the minimizer of
        // findings. Pure Swift, no I/O (the runs are in WSTapConformance).
        .target(
            name: "WSTapMutation",
            dependencies: ["WSTapCore", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: sharedSwiftSettings
        ),
        // Sessions on disk: the recording format, the recorder (a writer thread) and the indexed reader.
        .target(
            name: "WSTapSession",
            dependencies: [
                "WSTapCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // Turning frames into words: one-line summaries, JSON, hex; the logic of `craft` and `decode`.
        .target(
            name: "WSTapInspect",
            dependencies: [
                "WSTapCore",
                "WSTapLenses",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // Recorded traffic out to other tools: pcapng captures and HAR archives (pure: no I/O).
        .target(
            name: "WSTapExport",
            dependencies: [
                "WSTapCore",
                "WSTapCompression",
                "WSTapInspect",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // Replaying a recorded connection: as the client against a server, or as a mock server to clients.
        .target(
            name: "WSTapReplay",
            dependencies: [
                "WSTapCore",
                "WSTapPipeline",
                "WSTapCompression",
                "WSTapExport",
                "WSTapInspect",
                "WSTapNetwork",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // The terminal UI as pure state: reduce(state, event) -> effects, render(state) into a cell grid.
        .target(
            name: "WSTapUI",
            dependencies: [
                "WSTapCore",
                "WSTapInspect",
                "WSTapLenses",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // ncursesw from the system (libncursesw5-dev).
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // The only code that touches curses: a Screen that draws cell grids on the terminal and reads keys.
        .target(
            name: "WSTapCurses",
            dependencies: ["CNcursesw", "WSTapUI"],
            swiftSettings: sharedSwiftSettings
        ),
        // The interactive runtime of the commands: the terminal UI's loop and inbox, the effects per mode, the
        // recording switch, the recording viewer, the printers, the clients and servers the commands run.
        .target(
            name: "WSTapRuntime",
            dependencies: [
                "WSTapFilter",
                "WSTapProtobufSchema",
                "WSTapConformance",
                "WSTapFilter",
                "WSTapMutation",
                "WSTapCore",
                "WSTapLenses",
                "WSTapCompression",
                "WSTapInspect",
                "WSTapNetwork",
                "WSTapPipeline",
                "WSTapProxy",
                "WSTapScript",
                "WSTapSession",
                "WSTapExport",
                "WSTapReplay",
                "WSTapUI",
                "WSTapCurses",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // The command line: a thin layer of argument parsing over the libraries.
        .executableTarget(
            name: "wstap",
            dependencies: [
                "WSTapRuntime",
                "WSTapConformance",
                "WSTapLenses",
                "WSTapProtobufSchema",
                "WSTapScript",
                "WSTapMCP",
                "WSTapFilter",
                "WSTapCore",
                "WSTapCompression",
                "WSTapInspect",
                "WSTapNetwork",
                "WSTapPipeline",
                "WSTapProxy",
                "WSTapSession",
                "WSTapExport",
                "WSTapReplay",
                "WSTapUI",
                "WSTapCurses",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // The examples of the original Racket library's manual, written with WSTapNetwork: one program with a
        // subcommand per example (docs/library.md). They import WSTapNetwork and nothing else.
        .executableTarget(
            name: "wstap-examples",
            dependencies: ["WSTapNetwork"],
            path: "Examples",
            // The sample scripts of `wstap proxy --script` (docs/scripts.md), run by WSTapCLITests.
            exclude: ["scripts"],
            swiftSettings: sharedSwiftSettings
        ),
        // What the test targets share: peer processes and how their output is read, the test CA, golden
        // files (a seeded random source is WSTapMutation's FuzzRandom). Not a test target itself: it holds no tests.
        .target(
            name: "WSTapTestSupport",
            path: "Tests/WSTapTestSupport",
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapPipelineTests",
            dependencies: [
                "WSTapTestSupport",
                "WSTapCore",
                "WSTapCompression",
                "WSTapPipeline",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapScriptTests",
            dependencies: [
                "WSTapCore", "WSTapLenses", "WSTapPipeline", "WSTapScript",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapFilterTests",
            dependencies: ["WSTapFilter", "WSTapCore", "WSTapLenses", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapLensesTests",
            dependencies: [
                "WSTapTestSupport", "WSTapMutation", "WSTapCore", "WSTapLenses", "WSTapProtobufSchema",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapCoreTests",
            dependencies: [
                "WSTapTestSupport",
                "WSTapMutation",
                "WSTapCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapNetworkTests",
            dependencies: [
                "WSTapTestSupport",
                "WSTapMutation",
                "WSTapCore",
                "WSTapNetwork",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            exclude: ["Peers"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapProxyTests",
            dependencies: [
                "WSTapTestSupport",
                "WSTapCore",
                "WSTapNetwork",
                "WSTapProxy",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapExportTests",
            dependencies: [
                "WSTapTestSupport",
                "WSTapCore",
                "WSTapExport",
                "WSTapNetwork",
                "WSTapProxy",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapReplayTests",
            dependencies: [
                "WSTapTestSupport",
                "WSTapCore",
                "WSTapExport",
                "WSTapNetwork",
                "WSTapPipeline",
                "WSTapProxy",
                "WSTapReplay",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            exclude: ["Peers"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapCompressionTests",
            dependencies: [
                "WSTapTestSupport",
                "WSTapMutation",
                "WSTapCore",
                "WSTapCompression",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapUITests",
            dependencies: [
                "WSTapTestSupport",
                "WSTapCore",
                "WSTapCompression",
                "WSTapInspect",
                "WSTapUI",
                "WSTapLenses",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapInspectTests",
            dependencies: [
                "WSTapTestSupport",
                "WSTapCore",
                "WSTapInspect",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // The Autobahn categories (framing, pings, reserved bits and opcodes, fragmentation, UTF-8, limits,
        // closing) of WSTapConformance against our server and our client, each driven byte by byte from a raw
        // peer, with stricter checks on top (what the endpoint reported to its user, how it closed).
        .testTarget(
            name: "WSTapConformanceTests",
            dependencies: [
                "WSTapCore",
                "WSTapConformance",
                "WSTapCompression",
                "WSTapNetwork",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapMutationTests",
            dependencies: ["WSTapCore", "WSTapMutation", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapSessionTests",
            dependencies: [
                "WSTapTestSupport",
                "WSTapMutation",
                "WSTapCore",
                "WSTapSession",
                "WSTapNetwork",
                "WSTapProxy",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            exclude: ["Peers"],
            swiftSettings: sharedSwiftSettings
        ),
        // Runs the built examples against third-party peers (python3-websockets, node-faye-websocket).
        .testTarget(
            name: "WSTapExamplesTests",
            dependencies: ["wstap-examples", "WSTapTestSupport"],
            exclude: ["Peers"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "WSTapRuntimeTests",
            dependencies: [
                "WSTapTestSupport",
                "WSTapMutation",
                "WSTapCore",
                "WSTapInspect",
                "WSTapSession",
                "WSTapUI",
                "WSTapRuntime",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // Runs the built `wstap` binary, and checks it against third-party peers (tshark).
        .testTarget(
            name: "WSTapCLITests",
            dependencies: [
                "wstap", "WSTapConformance", "WSTapCore", "WSTapMutation", "WSTapSession", "WSTapTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            exclude: ["Peers", "Fixtures"],
            swiftSettings: sharedSwiftSettings
        ),
    ]
)
