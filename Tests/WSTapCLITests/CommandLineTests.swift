import Foundation
import Testing
import WSTapTestSupport

/// The built `wstap` binary, run as a user would: output, exit status, and errors for bad input.
@Suite struct CommandLineTests {
    @Test func craftPipesIntoDecode() async throws {
        try await offThePool {
            let crafted = try ToolRunner.wstap([
                "craft", "--opcode", "close", "--close-code", "1001", "--reason", "away", "--mask", "random",
            ])
            #expect(crafted.status == 0)
            let decoded = try ToolRunner.wstap(["decode", "--role", "client"], stdin: crafted.stdout)
            #expect(decoded.status == 0)
            #expect(decoded.text.contains("close fin=1 rsv=000 mask="))
            #expect(decoded.text.contains("code=1001 (going-away) reason=\"away\""))
            #expect(!decoded.text.contains("!!"))
        }
    }

    @Test func rawBytesRoundTrip() async throws {
        try await offThePool {
            let raw = try ToolRunner.wstap(["craft", "--raw", "--opcode", "binary", "--hex", "00 ff 10"])
            #expect(raw.stdout == Data([0x82, 0x03, 0x00, 0xff, 0x10]))
            let decoded = try ToolRunner.wstap(["decode", "--raw", "--json"], stdin: raw.stdout)
            #expect(decoded.text.contains("\"payloadHex\":\"00ff10\""))
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-raw-\(UUID().uuidString)")
            try raw.stdout.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let fromFile = try ToolRunner.wstap(["decode", "--file", file.path])
            #expect(fromFile.text == "#0 @0 binary fin=1 rsv=000 mask=- len=3 (7-bit) hex:00ff10\n")
        }
    }

    @Test func hybi00BothFramings() async throws {
        try await offThePool {
            for framing in ["old", "new"] {
                let crafted = try ToolRunner.wstap([
                    "craft", "--variant", "hybi00", "--framing", framing, "--text", "héllo",
                ])
                let decoded = try ToolRunner.wstap(
                    ["decode", "--variant", "hybi00", "--framing", framing], stdin: crafted.stdout)
                #expect(decoded.text.contains("hybi00-\(framing) text"))
                #expect(decoded.text.contains("\"héllo\""))
            }
        }
    }

    /// Bad flags and bad input: one clear line on standard error, a non-zero exit, never a crash.
    @Test(arguments: [
        (["craft", "--opcode", "nope"], "--opcode"),
        (["craft", "--mask", "123"], "--mask"),
        (["craft", "--fin", "2"], "--fin"),
        (["craft", "--rsv", "9"], "--rsv"),
        (["craft", "--length-encoding", "7", "--declared-length", "999"], "cannot hold 999"),
        (["craft", "--text", "a", "--hex", "61"], "at most one"),
        (["craft", "--file", "/nonexistent/file"], "cannot read '/nonexistent/file'"),
        (["craft", "--variant", "hybi01"], "hybi01"),
        (["decode", "--hex", "81 0"], "odd number"),
        (["decode", "--hex", "zz"], "position 1"),
        (["decode", "--file", "/nonexistent/file"], "cannot read"),
        (["decode", "--role", "proxy", "--hex", "00"], "proxy"),
        (["bogus-command"], "bogus-command"),
        (["decode", "--hex", ""], "no bytes to decode: --hex is empty"),
        (["proxy", "--listen", "nonsense"], "expected HOST:PORT with a port 0-65535, e.g. 127.0.0.1:8080"),
        (["serve", "--listen", "127.0.0.1:99999"], "expected HOST:PORT"),
        (["connect", "ws://127.0.0.1:1/", "--no-tui", "--idle-timeout=-5"], "--idle-timeout -5: give a number"),
    ])
    func badInputGivesOneClearLine(arguments: [String], mention: String) throws {
        let result = try ToolRunner.wstap(arguments)
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        let firstLine = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.hasPrefix("Error:"), "\(result.stderr)")
        #expect(result.stderr.contains(mention), "\(result.stderr)")
    }

    /// A port already taken is said in plain words, not as SwiftNIO's `bind(descriptor:ptr:bytes:): Address
    /// already in use) (errno: 98)` with its unbalanced parenthesis.
    @Test(arguments: [["serve"], ["proxy", "--upstream", "ws://127.0.0.1:1/", "--no-tui"], ["proxy", "--no-tui"]])
    func aPortInUseIsSaidInPlainWords(command: [String]) async throws {
        let taken = try LoopbackSocketPair()
        let listen = "127.0.0.1:\(taken.port)"
        try await offThePool {
            let result = try ToolRunner.wstap(command + ["--listen", listen])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr == "Error: cannot listen on \(listen): address already in use\n", "\(result.stderr)")
        }
    }

    /// A negative idle timeout is refused before serve listens (it was taken as "never" without a word);
    /// the port is taken so that, without the check, serve fails on it instead of serving.
    @Test func serveRefusesANegativeIdleTimeout() async throws {
        let taken = try LoopbackSocketPair()
        try await offThePool {
            let result = try ToolRunner.wstap(["serve", "--listen", "127.0.0.1:\(taken.port)", "--idle-timeout=-5"])
            #expect(result.status == 64, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("Error: --idle-timeout -5: give a number of seconds"), "\(result.stderr)")
        }
    }

    /// A server certificate that does not verify names the flags that help, as the proxy's 502 does (it said
    /// only `certificate for 127.0.0.1 not trusted: self-signed certificate`).
    @Test func anUntrustedServerCertificateNamesTheFlagsThatHelp() async throws {
        try await offThePool {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-tls-\(UUID().uuidString)")
                .path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let certificate = folder + "/cert.pem"
            let key = folder + "/key.pem"
            let made = try PeerProcess.run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                ])
            try #require(made.status == 0, "\(made.stderr)")
            let (server, port) = try ToolRunner.start([
                "serve", "--listen", "127.0.0.1:0", "--tls-cert", certificate, "--tls-key", key, "--no-tui",
            ])
            defer { server.terminate() }
            try #require(port != 0, "\(server.standardOutput) \(server.standardError)")
            let result = try ToolRunner.wstap(
                ["connect", "wss://127.0.0.1:\(port)/", "--no-tui"], stdin: Data("hi\n".utf8))
            #expect(result.status == 1, "\(result.stderr)")
            #expect(
                result.stderr.contains("not trusted: self-signed certificate; use --ca FILE or --insecure"),
                "\(result.stderr)")
        }
    }

    @Test func decodeOfBinaryJunkOnStdinAsHexIsAnError() async throws {
        try await offThePool {
            let result = try ToolRunner.wstap(["decode"], stdin: Data([0xff, 0xfe, 0x00]))
            #expect(result.status != 0)
            #expect(result.stderr.contains("--raw"))
        }
    }

    /// Standard input that cannot be read (a directory) is a one-line error, not a trap in Foundation.
    @Test func decodeOfUnreadableStdinIsAnError() async throws {
        try await offThePool {
            let result = try PeerProcess.run("/bin/sh", ["-c", "exec \"$0\" decode < /", ToolRunner.wstapPath])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr == "Error: cannot read standard input: Is a directory\n", "\(result.stderr)")
        }
    }

    /// A large input on standard input arrives whole (read in chunks, not byte by byte).
    @Test func decodeReadsALargeStandardInputWhole() async throws {
        try await offThePool {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-large-\(UUID().uuidString)")
            try Data(repeating: 0x61, count: 5 << 20).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let crafted = try ToolRunner.wstap(["craft", "--opcode", "binary", "--raw", "--file", file.path])
            try #require(crafted.status == 0, "\(crafted.stderr)")
            #expect(crafted.stdout.count == 5 << 20 + 10)
            let decoded = try ToolRunner.wstap(["decode", "--raw"], stdin: crafted.stdout)
            #expect(decoded.status == 0, "\(decoded.stderr)")
            #expect(
                decoded.text.hasPrefix("#0 @0 binary fin=1 rsv=000 mask=- len=5242880 (64-bit)"),
                "\(decoded.text.prefix(300))")
        }
    }

    /// One byte is one byte, not 1 bytes.
    @Test func oneByteIsSingular() async throws {
        try await offThePool {
            let result = try ToolRunner.wstap(["decode", "--variant", "hybi00", "--hex", "ff 01 61"])
            #expect(result.text.contains("(type 0xff, 1 byte)"), "\(result.text)")
            #expect(!result.text.contains("1 bytes"), "\(result.text)")
        }
    }

    /// Empty input is said to be empty, whether it came with --hex or on standard input.
    @Test func decodeOfNothingSaysSo() async throws {
        try await offThePool {
            let result = try ToolRunner.wstap(["decode"], stdin: Data())
            #expect(result.status == 1)
            #expect(result.stderr == "Error: no bytes to decode: standard input was empty\n", "\(result.stderr)")
        }
    }

    /// Every command's --help at 80 columns: each indented line of its discussion (examples, command
    /// tables), as a wide terminal shows it, comes out whole, not wrapped in the middle of a command.
    @Test func helpExamplesAreNotWrapped() async throws {
        try await offThePool {
            func help(_ command: String, columns: Int) throws -> [String] {
                let result = try PeerProcess.run(
                    "/usr/bin/env", ["COLUMNS=\(columns)", ToolRunner.wstapPath, command, "--help"])
                let text = result.text
                // The discussion: after the overview, before the usage line.
                let end = text.range(of: "\nUSAGE:")?.lowerBound ?? text.endIndex
                return text[..<end].split(separator: "\n").map(String.init)
            }
            for command in [
                "craft", "decode", "serve", "connect", "proxy", "ctl", "view", "replay", "export", "demo",
                "conformance",
            ] {
                let wide = try help(command, columns: 400).filter { $0.hasPrefix("  ") }
                #expect(!wide.isEmpty || ["demo"].contains(command), "\(command) has examples")
                let narrow = Set(try help(command, columns: 80).map { $0.trimmingCharacters(in: .whitespaces) })
                for line in wide {
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    #expect(narrow.contains(trimmed), "wstap \(command) --help wraps: \(trimmed)")
                }
            }
        }
    }

    @Test func helpListsTheCommands() async throws {
        try await offThePool {
            let result = try ToolRunner.wstap(["--help"])
            #expect(result.status == 0)
            #expect(result.text.contains("craft"))
            #expect(result.text.contains("decode"))
        }
    }
}
