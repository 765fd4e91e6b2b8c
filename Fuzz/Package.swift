// swift-tools-version:6.1
import PackageDescription

// libFuzzer harness for WSTapCore. Build and run with ../scripts/fuzz.sh SECONDS (see ../docs/fuzzing.md).
// The harness is built with -sanitize=fuzzer,address given on the command line, so that the libraries
// it calls (WSTapCore above all) are instrumented for coverage too.
let package = Package(
    name: "WSTapFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "wstap", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "WSTapFuzz",
            dependencies: [
                .product(name: "WSTapCore", package: "wstap"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            // libFuzzer supplies main(); the harness only defines LLVMFuzzerTestOneInput.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ]
)
