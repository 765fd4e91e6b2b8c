import Foundation
public import WSTapProxy

/// `wstap ca`: the local certificate authority that signs the forward proxy's interception certificates, in
/// its folder.
public enum CARun {
    /// The CA in `directory`, made first when the folder has none; the error says why it cannot be had.
    public static func loadOrCreate(directory: String) throws -> CertificateAuthority {
        do {
            return try CertificateAuthority.loadOrCreate(directory: directory)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// `wstap ca export PATH`: writes the CA's certificate (PEM) to `path` (`-`: standard output), making the
    /// CA first when there is none (which standard error says).
    public static func export(directory: String, to path: String) throws {
        let authority = try loadOrCreate(directory: directory)
        if authority.wasCreated {
            StandardStreams.error("made a new CA in \(authority.directory)\n")
        }
        if path == "-" {
            StandardStreams.output(authority.certificatePEM)
            return
        }
        do {
            try Data(authority.certificatePEM.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure("cannot write '\(path)': \(error.localizedDescription)")
        }
        print("wrote the CA certificate to \(path)")
    }

    /// `wstap ca path`: prints where the CA's certificate is (or will be), and on standard error when there is
    /// none yet.
    public static func printPath(directory: String) {
        let path = directory + "/" + CertificateAuthority.certificateFileName
        print(path)
        if !FileManager.default.fileExists(atPath: path) {
            StandardStreams.error("no CA there yet: wstap ca export or a forward proxy makes it\n")
        }
    }
}
