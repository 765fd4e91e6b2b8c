import Foundation
import WSTapCore
import WSTapRuntime
import WSTapSession

/// Recordings on disk for the runtime's tests, in a folder of their own that `remove()` deletes.
struct RecordingFiles {
    let folder: URL

    init(_ name: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("wstap-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A recording of `events`, written by the recorder the commands use.
    func write(_ name: String, _ events: [TrafficEvent]) throws -> String {
        let path = path(name)
        let recorder = try RecordingOption.open(path, mode: .proxy, options: RecorderOptions(wireSource: .frameEvents))
        for event in events { recorder.record(event) }
        recorder.close()
        return path
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}
