import Foundation
import Testing
import WSTapTestSupport

/// The shell completions README's "Install" section installs: bash loads the generated script and completes
/// `wstap` with it, and zsh's and fish's scripts are made.
@Suite struct CompletionTests {
    @Test func bashLoadsTheCompletionScript() async throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-completion-\(UUID()).bash")
        defer { try? FileManager.default.removeItem(at: script) }
        let made = try await ToolRunner.wstap(["--generate-completion-script", "bash"])
        #expect(made.status == 0, "\(made.stderr)")
        try Data(made.text.utf8).write(to: script)
        let loaded = try await PeerProcess.run("/bin/bash", ["-c", "source '\(script.path)' && complete -p wstap"])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.text.contains("-F _wstap wstap"), "\(loaded.text)")
        for shell in ["zsh", "fish"] {
            let other = try await ToolRunner.wstap(["--generate-completion-script", shell])
            #expect(other.status == 0 && other.text.contains("connect"), "\(shell): \(other.stderr)")
        }
    }
}
