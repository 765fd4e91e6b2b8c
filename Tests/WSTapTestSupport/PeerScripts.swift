public import Foundation

/// The peer scripts the tests run (python3-websockets, node-ws and raw-socket peers). They stay in the
/// `Peers/` folder of the test target they were written for; this names them from anywhere.
public enum PeerScripts {
    /// The tests folder (the parent of this target's).
    private static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `Tests/TARGET/Peers/NAME`.
    public static func script(_ name: String, of target: String) -> URL {
        testsFolder.appendingPathComponent(target).appendingPathComponent("Peers").appendingPathComponent(name)
    }

    /// The `Peers/` folder of a test target.
    public static func folder(of target: String) -> URL {
        testsFolder.appendingPathComponent(target).appendingPathComponent("Peers")
    }
}
