import Foundation
import Testing
import WSTapTestSupport

/// Each example of the original library's manual, as a program written with WSTapNetwork (Examples/),
/// run against a real peer: python3-websockets for RFC 6455, node-faye-websocket for hybi-00. Both the
/// example's output and the peer's are checked. (The Racket library itself is not a peer here: its
/// package server cannot be reached from these machines.)
@Suite(.serialized) struct ExamplesTests {
    @Test func helloServerGreetsAPythonClient() async throws {
        let (server, port) = try await ExampleProgram.startServer(["hello-server", "0"])
        defer { server.stop() }
        let client = try await ExampleProgram.pythonClient(["ws://127.0.0.1:\(port)/", "--receive", "1"])
        #expect(client.text == "subprotocol None\ngot Hello world!\nclosed 1000 \n", "\(client.stderr)")
        let greeted = await ExampleProgram.nextLines(1, of: server)
        #expect(greeted.first?.hasPrefix("greeted 127.0.0.1:") == true, "\(greeted) \(server.errorsSoFar)")
    }

    @Test func serviceMapperChoosesByPathAndSubprotocol() async throws {
        let (server, port) = try await ExampleProgram.startServer(["service-mapper", "0"])
        defer { server.stop() }
        let url = "ws://127.0.0.1:\(port)"
        let asked = try await ExampleProgram.pythonClient(
            ["\(url)/test", "--subprotocol", "subprotocol", "--receive", "1"])
        #expect(asked.text == "subprotocol subprotocol\ngot You requested a subprotocol\nclosed 1000 \n")
        let plain = try await ExampleProgram.pythonClient(["\(url)/test", "--receive", "1"])
        #expect(plain.text == "subprotocol None\ngot You didn't explicitly request a subprotocol\nclosed 1000 \n")
        let otherPath = try await ExampleProgram.pythonClient(["\(url)/other", "--receive", "1"])
        #expect(otherPath.text == "rejected 400\n")
        let otherSubprotocol = try await ExampleProgram.pythonClient(
            ["\(url)/test", "--subprotocol", "chat", "--receive", "1"])
        #expect(otherSubprotocol.text == "rejected 400\n")
    }

    @Test func connectWithHeadersReachesAPythonServer() async throws {
        let (peer, port) = try await ExampleProgram.startPythonServer()
        let example = try await ExampleProgram.run(["connect-with-headers", "ws://127.0.0.1:\(port)/"])
        #expect(example.text == "connected: 101 Switching Protocols\nreply: Hello world!\nclosed cleanly: true\n")
        #expect(example.status == 0, "\(example.stderr)")
        #expect(
            await ExampleProgram.log(of: peer)
                == "open /\nheader X-Example from Swift\nframe text fin=1 12\nmessage text 12\nclosed 1000 \n")
    }

    @Test func fragmentedSendArrivesAsThreeFramesOfOneMessage() async throws {
        let (peer, port) = try await ExampleProgram.startPythonServer()
        let example = try await ExampleProgram.run(["fragmented-send", "ws://127.0.0.1:\(port)/"])
        #expect(example.text == "echo: firstsecondthird\n", "\(example.stderr)")
        #expect(
            await ExampleProgram.log(of: peer)
                == "open /\nframe text fin=0 5\nframe cont fin=0 6\nframe cont fin=1 5\nmessage text 16\n"
                + "closed 1000 \n")
    }

    @Test func streamedSendAndReceiveCarryAFileThroughInBufferSizedFragments() async throws {
        let (peer, port) = try await ExampleProgram.startPythonServer()
        let text = (1...4000).map { "line \($0) of the file\n" }.joined()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-example-\(UUID().uuidString)")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let size = text.utf8.count
        let example = try await ExampleProgram.run(["streamed-send-receive", "ws://127.0.0.1:\(port)/", file.path])
        #expect(example.text == "sent \(file.path) in fragments of at most 16384 bytes\n" + text, "\(example.stderr)")
        let full = size / 16384
        let frames =
            ["frame text fin=0 16384"] + Array(repeating: "frame cont fin=0 16384", count: full - 1)
            + ["frame cont fin=1 \(size % 16384)"]
        #expect(
            await ExampleProgram.log(of: peer)
                == (["open /"] + frames + ["message text \(size)", "closed 1000 ", ""]).joined(
                    separator: "\n"))
    }

    @Test func closeWithStatusTellsBothEnds() async throws {
        let (peer, port) = try await ExampleProgram.startPythonServer()
        let example = try await ExampleProgram.run(["close-with-status", "ws://127.0.0.1:\(port)/"])
        #expect(
            example.text
                == "refused: close code 1005 no-status-received may not be sent in a close frame (RFC 6455 7.4): use "
                + "1000-1003, 1007-1014 or 3000-4999\n"
                + "closed cleanly: true, by the client\nthe server answered: 4000 private done for today\nclosed: true\n",
            "\(example.stderr)")
        #expect(await ExampleProgram.log(of: peer) == "open /\nclosed 4000 done for today\n")
    }

    @Test func capabilitiesOfAnRFC6455Connection() async throws {
        let (peer, port) = try await ExampleProgram.startPythonServer()
        let example = try await ExampleProgram.run(["capabilities", "ws://127.0.0.1:\(port)/", "rfc6455"])
        #expect(
            example.text
                == """
                variant: rfc6455
                supports fragmentation: true
                supports binary payloads: true
                signals status on close: true
                binary echo: 2 bytes
                text echo: Hello world!
                closed cleanly: true, status received: 4000 private

                """, "\(example.stderr)")
        #expect(
            await ExampleProgram.log(of: peer)
                == "open /\nframe binary fin=1 2\nmessage binary 2\nframe text fin=1 12\nmessage text 12\n"
                + "closed 4000 bye\n")
    }

    @Test func capabilitiesOfAHybi00ConnectionToFaye() async throws {
        let peer = try PeerProcess.node(PeerScripts.script("faye_echo_server.js", of: "WSTapExamplesTests"))
        let port = try await peer.port()
        let example = try await ExampleProgram.run(["capabilities", "ws://127.0.0.1:\(port)/", "hybi00"])
        #expect(
            example.text
                == """
                variant: hybi00
                supports fragmentation: false
                supports binary payloads: false
                signals status on close: false
                binary refused: hybi-00 carries text only: binary payloads cannot be sent
                text echo: Hello world!
                closed cleanly: true, status received: none

                """, "\(example.stderr)")
        #expect(await ExampleProgram.log(of: peer) == "open hixie-76\nmessage Hello world!\nclose null null\n")
    }

    @Test func idleTimeoutClosesASilentPythonClient() async throws {
        // 2 s: time enough for the client's one message to arrive first, even on a loaded machine.
        let (server, port) = try await ExampleProgram.startServer(["idle-timeout", "0", "2"])
        defer { server.stop() }
        let client = try await ExampleProgram.pythonClient(["ws://127.0.0.1:\(port)/", "--send", "hello"])
        #expect(client.text == "subprotocol None\nclosed 1001 idle timeout\n", "\(client.stderr)")
        #expect(
            await ExampleProgram.nextLines(2, of: server) == [
                "got: hello", "closed: sent 1001 going-away, clean: true",
            ])
    }

    @Test func connectionStateComesFromTheRequest() async throws {
        let (server, port) = try await ExampleProgram.startServer(["connection-state", "0"])
        defer { server.stop() }
        let client = try await ExampleProgram.pythonClient([
            "ws://127.0.0.1:\(port)/rooms/kitchen", "--request-header", "X-Name:Ada", "--show-header", "X-Room",
            "--receive", "1",
        ])
        #expect(
            client.text == "subprotocol None\nheader X-Room kitchen\ngot welcome to the kitchen, Ada\nclosed 1000 \n",
            "\(client.stderr)")
        #expect(await ExampleProgram.nextLines(1, of: server) == ["Ada joined the kitchen"])
    }
}
