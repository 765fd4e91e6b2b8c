import ArgumentParser
import WSTapProxy

/// `--ca-dir`: where the forward proxy's certificate authority lives.
struct CADirectoryOption: ParsableArguments {
    @Option(help: "The folder of the interception CA (default: $WSTAP_HOME/ca, else ~/.wstap/ca).") var caDir: String?

    /// The folder given, or the default one.
    var directory: String { caDir ?? CertificateAuthority.defaultDirectory() }
}
