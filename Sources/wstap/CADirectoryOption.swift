import ArgumentParser
import WSTapProxy
import WSTapRuntime

/// `--ca-dir`: where the forward proxy's certificate authority lives.
struct CADirectoryOption: ParsableArguments {
    @Option(help: "The folder of the interception CA (default: $WSTAP_HOME/ca, else ~/.wstap/ca).")
    var caDir: String?

    /// The folder given, or the default one.
    var directory: String { caDir ?? CertificateAuthority.defaultDirectory() }

    /// Loads the CA, making it when the folder has none.
    func loadOrCreate() throws -> CertificateAuthority {
        do {
            return try CertificateAuthority.loadOrCreate(directory: directory)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
