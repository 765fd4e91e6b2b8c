import WSTapCore
import WSTapInspect
import WSTapNetwork
import WSTapProxy
import WSTapUI

/// `wstap demo`: an echo server, the proxy in front of it and a scripted client (``DemoClient``), in one
/// process, everything on 127.0.0.1, with the terminal UI on the proxy or a line per event.
public enum DemoRun {
    /// Runs the demo, the client playing `rounds` rounds (0: until the user quits) with `paceMilliseconds`
    /// between its frames: with the terminal UI until the user quits, else printing lines until the rounds
    /// are played.
    public static func run(rounds: Int, paceMilliseconds pace: Int, showsUI: Bool) async throws {
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
        let inbox = UIEventInbox()
        let printer = LinePrinter()
        let recording = RecordingSwitch(inbox: inbox)
        var options = ProxyOptions(
            upstream: upstream,
            events: { event in
                if case .message = event { return }  // the frames before it say it all
                recording.record(event)
                if showsUI { inbox.add(event) } else { printer.line(TrafficEventDescription.line(event)) }
            })
        options.backpressure = recording
        let proxy: ListeningProxy
        do {
            proxy = try await ReverseProxy.start(host: "127.0.0.1", port: 0, options: options)
        } catch {
            throw CommandFailure("demo: cannot start the proxy: \(error)")
        }
        let proxyURL = try WebSocketURL("ws://127.0.0.1:\(proxy.port)/demo")
        let client = Task { await DemoClient.run(url: proxyURL, rounds: rounds, paceMilliseconds: pace) }
        if showsUI {
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
