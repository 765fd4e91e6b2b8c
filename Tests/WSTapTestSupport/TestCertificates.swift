public import Foundation

/// A CA and a certificate for 127.0.0.1 and localhost signed by it, made with the openssl command
/// (Debian's openssl) in a temporary folder, once per test run.
public struct TestCertificates: Sendable {
    /// The temporary folder holding the files.
    public let folder: URL
    /// The CA certificate (PEM), for clients to trust.
    public var caFile: String { folder.appendingPathComponent("ca.pem").path }
    /// The server certificate for 127.0.0.1 and localhost (PEM), signed by the CA.
    public var certificateFile: String { folder.appendingPathComponent("server.pem").path }
    /// The server certificate's private key (PEM).
    public var keyFile: String { folder.appendingPathComponent("server.key").path }

    /// The files of this test run, made on first use (or why openssl could not make them).
    public static let shared: Result<TestCertificates, TestCertificates.Failure> = make()

    /// ``shared``, made (the first time) or waited for on a thread of its own: three openssl runs must not
    /// hold threads of the concurrency pool that the endpoints under test run on.
    public static func loaded() async throws(Failure) -> TestCertificates {
        try await offThePool { () throws(Failure) -> TestCertificates in try shared.get() }
    }

    /// openssl could not make the files.
    public struct Failure: Error, CustomStringConvertible {
        /// Which openssl step failed, with what it printed.
        public var description: String

        /// A failure with this explanation.
        public init(description: String) {
            self.description = description
        }
    }

    private static func make() -> Result<TestCertificates, Failure> {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-tls-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let extensions = folder.appendingPathComponent("san.ext")
            try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(to: extensions, atomically: true, encoding: .utf8)
            let steps: [[String]] = [
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days",
                    "2",
                    "-subj", "/CN=wstap test CA",
                ],
                [
                    "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=127.0.0.1",
                ],
                [
                    "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", "server.pem", "-days", "2", "-extfile", "san.ext",
                ],
            ]
            for arguments in steps {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
                process.arguments = arguments
                process.currentDirectoryURL = folder
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try PeerProcess.launch(process)
                process.waitUntilExit()
                guard process.terminationStatus == 0 else {
                    return .failure(Failure(description: "openssl \(arguments.joined(separator: " ")) failed"))
                }
            }
            return .success(TestCertificates(folder: folder))
        } catch {
            return .failure(Failure(description: "cannot make test certificates: \(error)"))
        }
    }
}
