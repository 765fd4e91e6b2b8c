import Foundation
import WSTapCore
public import WSTapUI

/// Reads the file the composer asked for as its payload (``UIEffect/loadFile(path:)``), for every UI.
public enum ComposerFile {
    /// The largest payload file read (the composer shows and sends the whole of it).
    public static let maxBytes = 16 << 20

    /// The event that answers a request: the bytes, or a notice saying why not.
    public static func load(path: String) -> UIEvent {
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        let size: Int
        do {
            let values = try url.resourceValues(forKeys: [.fileSizeKey, .isDirectoryKey])
            if values.isDirectory == true { return .notice("payload file \(path): is a folder, not a file") }
            size = values.fileSize ?? 0
        } catch {
            return .notice("payload file \(path): cannot read it (\(reason(error)))")
        }
        guard size <= maxBytes else {
            return .notice(
                "payload file \(path): \(CountWords.of(size, "byte")) is over the composer's limit of \(maxBytes)")
        }
        do {
            let data = try Data(contentsOf: url)
            guard data.count <= maxBytes else {
                return .notice("payload file \(path): over the composer's limit of \(maxBytes) bytes")
            }
            return .fileLoaded(path: path, bytes: [UInt8](data))
        } catch {
            return .notice("payload file \(path): cannot read it (\(reason(error)))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
