/// One line of a recording as JSON gives it: every field any line type may have, all optional. The
/// reader checks which ones a type needs (see docs/recording-format.md).
struct RecordingLine: Decodable, Equatable {
    struct ViolationRecord: Decodable, Equatable {
        var kind: String
        var detail: String?
    }

    // The header.
    var format: String?
    var version: Int?
    var wstap: String?
    var mode: String?
    var sideFile: String?

    // Every event.
    var type: String?
    var conn: UInt64?
    var t: Double?
    var mono: UInt64?

    // open
    var client: String?
    var target: String?
    var request: String?
    var requestData: String?
    var response: String?
    var responseData: String?
    var requestBody: String?
    var responseBody: String?
    var variant: String?
    var framing: String?
    var subprotocol: String?
    var extensions: String?

    // frame and raw
    var dir: String?
    var disp: String?
    var hold: UInt64?
    var fin: Bool?
    var rsv: Int?
    var opcode: Int?
    var mask: String?
    var len: UInt64?
    var lenBits: Int?
    var typeByte: Int?
    var declared: UInt64?
    var complete: Bool?
    var offset: Int?
    var wireLength: Int?
    var wire: String?
    var sideOffset: UInt64?
    var pat: Int?
    var plen: Int?
    var text: String?
    var data: String?
    var violations: [ViolationRecord]?
    var compressed: Bool?
    var inflated: String?
    var inflatedData: String?
    var inflateError: String?
    var inflateKept: Int?
    var inflatedLength: Int?

    // close
    var closedBy: String?
    var clientCode: Int?
    var serverCode: Int?
    var reason: String?
    var clean: Bool?
    var error: String?

    // error
    var message: String?

    // framing
    var redecoded: Bool?
}
