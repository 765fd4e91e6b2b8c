import ArgumentParser
import WSTapRuntime

/// `wstap ca`: the local certificate authority that signs the forward proxy's interception certificates.
struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "The local CA that signs a certificate per host when the forward proxy intercepts TLS.",
        discussion: """
            Made on first use (a forward proxy, or wstap ca export) in $WSTAP_HOME/ca or ~/.wstap/ca.
            Its private key is readable by you only.
            Clients must trust its certificate, for example: curl --cacert wstap-ca.pem
            """,
        subcommands: [Export.self, Path.self]
    )

    /// `wstap ca export PATH`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the CA certificate (PEM) to a file for clients to trust; makes the CA if missing.")

        @Argument(help: "Where to write the certificate ('-' for standard output).") var path: String
        @OptionGroup var ca: CADirectoryOption

        func run() throws {
            try CARun.export(directory: ca.directory, to: path)
        }
    }

    /// `wstap ca path`.
    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the path of the CA certificate (the CA is made on first use if it does not exist).")

        @OptionGroup var ca: CADirectoryOption

        func run() {
            CARun.printPath(directory: ca.directory)
        }
    }
}
