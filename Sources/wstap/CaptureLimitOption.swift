import ArgumentParser
import WSTapPipeline

/// `--capture-limit`: the payload bytes of each frame and message the events, the UI and the printers keep.
struct CaptureLimitOption: ParsableArguments {
    @Option(
        name: .customLong("capture-limit"),
        help: ArgumentHelp(
            "Payload bytes kept per frame and per message for display (the rest is still checked, passed on and "
                + "recorded): bytes, or with K, M or G (64K, 1M), or unlimited (default 1M).",
            valueName: "SIZE"))
    var text: String?

    /// The limit given, or the default (1 MiB).
    func bytes() throws -> Int {
        guard let text else { return ConnectionTap.defaultCaptureLimit }
        switch CaptureLimit.parse(text) {
        case .success(let bytes): return bytes
        case .failure(let error): throw ValidationError("--capture-limit \(error)")
        }
    }

    func validate() throws {
        _ = try bytes()
    }
}
