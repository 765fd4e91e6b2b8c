import Foundation
import NIOCore
import Testing
import WSTapCore
import WSTapMutation
import WSTapSession
import WSTapTestSupport

/// Bad files: a torn last line is skipped and reported; any other damage is an error naming the line
/// and what is wrong; nothing crashes.
@Suite struct BadRecordingTests {
    /// A real recording's bytes (its large frame inline, so the file stands alone).
    static func recordingBytes() throws -> [UInt8] {
        let path = SyntheticSession.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SyntheticSession.rfc6455(largeSize: 2000).record(to: path, inlineLimit: 1 << 20).close()
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @discardableResult
    func withFile<Result>(_ bytes: [UInt8], _ body: (String) throws -> Result) throws -> Result {
        let path = SyntheticSession.temporaryPath("bad")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try body(path)
    }

    @Test func tornLastLineIsSkippedAndReported() throws {
        let bytes = try Self.recordingBytes()
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let complete = lines.count - 1  // the file ends with a line end
        let torn = Array(bytes) + Array(lines[3].prefix(20))
        try withFile(torn) { path in
            let reader = try RecordingReader(path: path)
            #expect(reader.tornLine == TornLine(lineNumber: complete + 1, byteCount: 20))
            #expect(reader.eventCount == complete - 1)
            #expect(try reader.allEvents().count == complete - 1)
            #expect(reader.tornLine?.description.contains("line \(complete + 1) is incomplete") == true)
        }
    }

    @Test func damagedLinesNameTheLineAndTheProblem() throws {
        let bytes = try Self.recordingBytes()
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        lines.removeLast()
        func check(line index: Int, _ replacement: String, expecting reason: String) throws {
            var changed = lines
            changed[index] = Array(replacement.utf8)
            let file = changed.flatMap { $0 + [UInt8(ascii: "\n")] }
            try withFile(file) { path in
                let reader = try RecordingReader(path: path)
                do {
                    _ = try reader.event(at: index - 1)
                    Issue.record("line \(index + 1) was accepted: \(replacement)")
                } catch {
                    guard case .badLine(path, index + 1, let found)? = error as? RecordingError else {
                        Issue.record("not a bad-line error for line \(index + 1): \(error)")
                        return
                    }
                    #expect(found.hasPrefix(reason), "\(found)")
                    #expect("\(error)".hasPrefix("\(path):\(index + 1): "))
                }
                // The lines around it still read.
                #expect(throws: Never.self) { try reader.event(at: index) }
            }
        }
        try check(line: 3, "{\"type\":\"frame\"", expecting: "not valid JSON")
        try check(line: 3, "", expecting: "empty line (every line must be one JSON object)")
        try check(
            line: 3, "{\"type\":\"bogus\"}",
            expecting: "unknown event type \"bogus\" (open, frame, raw, close, note, error or framing)")
        try check(line: 3, "{\"type\":\"frame\",\"conn\":\"x\"}", expecting: "\"conn\" must be an integer")
        try check(line: 3, "{\"type\":\"frame\",\"conn\":1}", expecting: "the line has no \"dir\"")
        try check(
            line: 3,
            "{\"type\":\"frame\",\"conn\":1,\"dir\":\"c2s\",\"variant\":\"rfc6455\",\"opcode\":1,\"len\":1,\"wire\":\"!!\"}",
            expecting: "\"wire\" is not valid base64")
        try check(
            line: 3,
            "{\"type\":\"frame\",\"conn\":1,\"dir\":\"c2s\",\"variant\":\"rfc6455\",\"opcode\":1,\"len\":1,\"wire\":\"gQFh\",\"pat\":2,\"plen\":5}",
            expecting: "\"pat\" and \"plen\" (2, 5) lie outside the 3 wire bytes")
        try check(
            line: 3,
            "{\"type\":\"frame\",\"conn\":1,\"dir\":\"c2s\",\"variant\":\"rfc6455\",\"opcode\":1,\"len\":1,\"sideOffset\":0,\"wireLength\":3}",
            expecting: "cannot open the side file: ")
    }

    @Test func badHeadersAreRefused() throws {
        try withFile([]) { path in
            #expect(throws: RecordingError.badHeader(path: path, reason: "the file is empty")) {
                try RecordingReader(path: path)
            }
        }
        try withFile(Array("{\"format\":\"wstap-recording\"".utf8)) { path in
            #expect(throws: RecordingError.badHeader(path: path, reason: "the first line is incomplete")) {
                try RecordingReader(path: path)
            }
        }
        try withFile(Array("{\"format\":\"wstap-recording\",\"version\":9,\"mode\":\"proxy\"}\n".utf8)) { path in
            #expect(
                throws: RecordingError.badHeader(
                    path: path, reason: "format version 9 is not one this wstap reads (1...1)")
            ) { try RecordingReader(path: path) }
        }
        try withFile(Array("hello\n".utf8)) { path in
            #expect(throws: RecordingError.badHeader(path: path, reason: "not valid JSON")) {
                try RecordingReader(path: path)
            }
        }
        #expect(throws: RecordingError.self) { try RecordingReader(path: "/nonexistent/wstap.jsonl") }
        #expect(throws: RecordingError.self) { try RecordingReader(path: "/tmp") }
    }

    /// Random truncations and byte changes of a real recording: every outcome is events or an error
    /// that names a line, never a crash.
    @Test func randomDamageNeverCrashes() throws {
        let bytes = try Self.recordingBytes()
        var generator = FuzzRandom(seed: 99)
        var errors = 0
        var survivingEvents = 0
        for round in 0..<300 {
            var damaged = bytes
            if round % 3 == 0 {
                damaged = Array(damaged.prefix(Int.random(in: 0..<damaged.count, using: &generator)))
            } else {
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    let at = Int.random(in: 0..<damaged.count, using: &generator)
                    damaged[at] =
                        [0x22, 0x5C, 0x0A, 0x7B, 0x7D, 0x30, 0xFF, UInt8.random(in: 0...255, using: &generator)][
                            Int.random(in: 0..<8, using: &generator)]
                }
            }
            try withFile(damaged) { path in
                let reader: RecordingReader
                do {
                    reader = try RecordingReader(path: path)
                } catch {
                    guard case .badHeader? = error as? RecordingError else {
                        Issue.record("unexpected error \(error)")
                        return
                    }
                    errors += 1
                    return
                }
                for result in reader.events() {
                    switch result {
                    case .success: survivingEvents += 1
                    case .failure(let error):
                        errors += 1
                        guard case .badLine(_, let line, let reason) = error else {
                            Issue.record("an error without a line: \(error)")
                            continue
                        }
                        #expect(line >= 2 && !reason.isEmpty)
                    }
                }
            }
        }
        // Damage was found, and much survived it.
        #expect(errors > 100)
        #expect(survivingEvents > 1000)
    }
}
