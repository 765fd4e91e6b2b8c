import ArgumentParser
import WSTapCore
import WSTapInspect
import WSTapNetwork
import WSTapProxy
import WSTapUI

/// `wstap demo`: an echo server, the proxy in front of it and a scripted client, in one process, with
/// the terminal UI on the proxy.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "See wstap at work: a local echo server, the proxy in front of it, and a scripted client.",
        discussion: """
            The client sends text, JSON, binary, wide characters, a fragmented message, pings, an invalid
            frame and closes with a code and reason, then connects again, until you quit (q).
            Everything listens on 127.0.0.1 only. In the UI, ? lists the keys; x opens the frame composer
            (handcraft any frame, valid or not, and inject it), e edits the selected frame in it.
            """
    )

    @Option(help: "How many rounds the client plays (0: until you quit).")
    var rounds = 0

    @Option(help: "Milliseconds between the client's frames.")
    var pace = 400

    @Flag(help: "Print one line per event instead of opening the terminal UI.")
    var noTui = false

    func run() async throws {
        let server: WebSocketServer
        do {
            server = try await WebSocketServer.start(host: "127.0.0.1", port: 0, handler: WebSocketServer.echo)
        } catch {
            throw CommandFailure("demo: cannot start the echo server: \(error)")
        }
        let upstream: WebSocketURL
        do {
            upstream = try WebSocketURL("ws://127.0.0.1:\(server.port)/")
        } catch {
            throw CommandFailure("demo: \(error)")
        }
        let useUI = !noTui && TerminalUI.isAvailable
        let inbox = UIEventInbox()
        let printer = LinePrinter()
        let recording = RecordingSwitch()
        let options = ProxyOptions(
            upstream: upstream,
            events: { event in
                if case .message = event { return }
                recording.record(event)
                if useUI { inbox.add(event) } else { printer.line(TrafficEventDescription.line(event)) }
            })
        let proxy: ReverseProxy
        do {
            proxy = try await ReverseProxy.start(host: "127.0.0.1", port: 0, options: options)
        } catch {
            throw CommandFailure("demo: cannot start the proxy: \(error)")
        }
        let proxyURL = try WebSocketURL("ws://127.0.0.1:\(proxy.port)/demo")
        let rounds = self.rounds
        let pace = self.pace
        let client = Task { await DemoClient.run(url: proxyURL, rounds: rounds, paceMilliseconds: pace) }
        if useUI {
            let state = UIState(
                mode: .proxy, listenAddress: proxy.localAddress?.hostAndPortText ?? "", upstream: upstream.description)
            do {
                try await TerminalUI.run(
                    state, inbox: inbox,
                    perform: ProxyEffects.performer(controller: proxy.controller, recording: recording, inbox: inbox))
            } catch {
                client.cancel()
                throw error
            }
            client.cancel()
        } else {
            printer.line("demo: proxy on \(proxyURL) → echo server on \(upstream)")
            await client.value
        }
        recording.stop()
        try? await proxy.stop()
        try? await server.stop()
    }
}
