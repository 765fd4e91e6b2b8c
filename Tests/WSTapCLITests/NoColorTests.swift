import Foundation
import Testing
import WSTapTestSupport

/// NO_COLOR (no-color.org): the terminal UI draws without colours when it is set, and with them otherwise.
@Suite struct NoColorTests {
    /// Whether an escape sequence of the screen sets a foreground colour (SGR 30-37, as tmux writes them).
    static func setsAColour(_ screen: String) -> Bool {
        (30...37).contains { screen.contains("\u{1b}[\($0)m") }
    }

    @Test(arguments: [false, true])
    func theDemoIsDrawnInColourUnlessNoColorIsSet(_ noColor: Bool) async throws {
        try await offThePool {
            let session = try TmuxSession()
            // The test's own environment may hold NO_COLOR: the case with colours takes it out.
            session.typeLine((noColor ? "env NO_COLOR=1 " : "env -u NO_COLOR ") + "'\(ToolRunner.wstapPath)' demo")
            let shown = session.waitFor { $0.contains("hello from the wstap demo") }
            #expect(shown.met, "\(shown.screen)")
            let screen = session.screenWithEscapes()
            #expect(Self.setsAColour(screen) == !noColor, "\(screen.prefix(2000))")
            session.press("q")
        }
    }
}
