import ArgumentParser

/// The `wstap proxy` options of forward mode (no `--upstream`).
struct ForwardProxyFlags: ParsableArguments {
    @Option(
        name: .customLong("pass-through"),
        help: ArgumentHelp(
            "Forward mode: tunnel CONNECTs to matching hosts untouched (no TLS interception). Repeatable.",
            valueName: "glob"))
    var passThrough: [String] = []

    @OptionGroup var ca: CADirectoryOption
}
