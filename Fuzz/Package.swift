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
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "WSTapFuzz",
            dependencies: [
                .product(name: "WSTapCore", package: "wstap"),
                .product(name: "WSTapInspect", package: "wstap"),
                .product(name: "NIOCore", package: "swift-nio"),
                "CFuzzerDriver",
            ],
            // Main.swift starts libFuzzer through LLVMFuzzerRunDriver (SwiftPM links executables with
            // their own entry point, so libFuzzer's main() is not used).
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ]
)
