import ArgumentParser
import WSTapCore

/// `--variant` and `--framing`: which protocol the frames are in.
struct WireFormatOptions: ParsableArguments {
    @Option(help: "rfc6455 or hybi00.") var variant: ProtocolVariant = .rfc6455
    @Option(help: "hybi-00 framing: old (sentinel) or new (length-prefixed).") var framing: Hybi00Framing = .old
}
