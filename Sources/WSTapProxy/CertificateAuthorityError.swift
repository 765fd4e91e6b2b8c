/// Why the local certificate authority could not be loaded, created, or could not sign a certificate.
public struct CertificateAuthorityError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What failed (loading, creating or signing), with the file and the reason.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
