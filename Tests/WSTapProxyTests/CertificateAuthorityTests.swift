import Crypto
import Foundation
import SwiftASN1
import Testing
import WSTapProxy
import WSTapTestSupport
import X509

/// The interception CA: made once with a private key only its owner can read, loaded again unchanged,
/// and signing host certificates that openssl (Debian's) accepts.
@Suite struct CertificateAuthorityTests {
    func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("wstap-ca-test-\(UUID().uuidString)/nested/ca")
            .path
    }

    func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func madeOnceThenLoaded() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try CertificateAuthority.loadOrCreate(directory: directory)
        #expect(made.wasCreated)
        #expect(try mode(made.privateKeyPath) == 0o600)
        #expect(try mode(directory) == 0o700)
        #expect(made.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        let loaded = try CertificateAuthority.loadOrCreate(directory: directory)
        #expect(!loaded.wasCreated)
        #expect(loaded.certificatePEM == made.certificatePEM)

        let text = try await PeerProcess.run(
            "/usr/bin/openssl", ["x509", "-in", made.certificatePath, "-noout", "-text"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.text.contains("CA:TRUE"))
        #expect(text.text.contains("Certificate Sign"))
        #expect(text.text.contains("Subject: O = wstap, CN = wstap interception CA"))
        // openssl reads the key file too, and it is the certificate's key.
        let key = try await PeerProcess.run("/usr/bin/openssl", ["pkey", "-in", made.privateKeyPath, "-pubout"])
        let certificateKey = try await PeerProcess.run(
            "/usr/bin/openssl", ["x509", "-in", made.certificatePath, "-noout", "-pubkey"])
        #expect(key.status == 0 && !key.text.isEmpty)
        #expect(key.text == certificateKey.text)
    }

    @Test(arguments: ["localhost", "127.0.0.1", "::1", "chat.example.com"])
    func hostCertificatesVerifyWithOpenSSL(host: String) async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let authority = try CertificateAuthority.loadOrCreate(directory: directory)
        let key = P256.Signing.PrivateKey()
        let certificate = try authority.issueServerCertificate(
            for: host, publicKey: Certificate.PublicKey(key.publicKey))
        let leafPath = directory + "/leaf.pem"
        try certificate.serializeAsPEM().pemString.write(toFile: leafPath, atomically: true, encoding: .utf8)
        let isAddress = host.first?.isNumber == true || host.contains(":")
        let verify = try await PeerProcess.run(
            "/usr/bin/openssl",
            ["verify", "-CAfile", authority.certificatePath, "-purpose", "sslserver"]
                + (isAddress ? ["-verify_ip", host] : ["-verify_hostname", host]) + [leafPath])
        #expect(verify.status == 0, "\(verify.text) \(verify.stderr)")
        #expect(verify.text.contains("\(leafPath): OK"))
        // A certificate for one host does not pass for another.
        let other = try await PeerProcess.run(
            "/usr/bin/openssl",
            ["verify", "-CAfile", authority.certificatePath, "-verify_hostname", "other.example.net", leafPath])
        #expect(other.status != 0)
    }

    @Test func aKeyThatIsNotTheCertificatesIsAClearError() throws {
        let first = temporaryDirectory()
        let second = temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        let one = try CertificateAuthority.loadOrCreate(directory: first)
        let two = try CertificateAuthority.loadOrCreate(directory: second)
        try FileManager.default.removeItem(atPath: one.privateKeyPath)
        try FileManager.default.copyItem(atPath: two.privateKeyPath, toPath: one.privateKeyPath)
        #expect {
            try CertificateAuthority.loadOrCreate(directory: first)
        } throws: { error in
            "\(error)".contains("is not the key of")
        }
        try "not a certificate".write(toFile: two.certificatePath, atomically: true, encoding: .utf8)
        #expect {
            try CertificateAuthority.loadOrCreate(directory: second)
        } throws: { error in
            "\(error)".contains("is not a PEM certificate")
        }
    }

    @Test func defaultDirectory() {
        #expect(CertificateAuthority.defaultDirectory(environment: ["WSTAP_HOME": "/w", "HOME": "/h"]) == "/w/ca")
        #expect(CertificateAuthority.defaultDirectory(environment: ["HOME": "/h"]) == "/h/.wstap/ca")
    }
}

@Suite struct HostPatternTests {
    @Test func globs() {
        #expect(HostPattern("*.example.com").matches(host: "a.example.com", port: 443))
        #expect(HostPattern("*.example.com").matches(host: "A.B.Example.COM", port: 443))
        #expect(!HostPattern("*.example.com").matches(host: "example.com", port: 443))
        #expect(!HostPattern("*.example.com").matches(host: "a.example.com.evil.net", port: 443))
        #expect(HostPattern("10.0.0.?").matches(host: "10.0.0.7", port: 1))
        #expect(!HostPattern("10.0.0.?").matches(host: "10.0.0.17", port: 1))
        #expect(HostPattern("example.com:8443").matches(host: "example.com", port: 8443))
        #expect(!HostPattern("example.com:8443").matches(host: "example.com", port: 443))
        #expect(HostPattern("[::1]:*").matches(host: "::1", port: 9))
        #expect(HostPattern("*").matches(host: "anything", port: 1))
        #expect(HostPattern("a*b*c").matches(host: "aXbYbZc", port: 1))
        #expect(!HostPattern("a*b*c").matches(host: "aXbYbZ", port: 1))
    }
}
