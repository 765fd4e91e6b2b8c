/// JSON-RPC 2.0 (jsonrpc.org/specification): requests, notifications, results and errors, single or in a
/// batch; a request and its response share their `id`.
public struct JSONRPCLens: StatelessLens {
    /// `jsonrpc`.
    public let name = "jsonrpc"

    /// The lens.
    public init() {}

    /// A text message whose object (or a batch's first) says `"jsonrpc": "2.0"`.
    public func claims(firstMessage message: LensMessage) -> Bool {
        guard message.isText, let value = try? JSONText.parse(message.bytes) else { return false }
        let first = value.listValue?.first ?? value
        return first["jsonrpc"] == .string("2.0")
    }

    /// The views of one message.
    public static func decode(_ message: LensMessage) -> [LensView] {
        let (parsed, failure) = message.parsedJSON()
        guard let value = parsed else { return failure }
        guard case .list(let batch) = value else { return [JSONRPCLens.view(of: value, batch: nil)] }
        guard !batch.isEmpty else { return [.doesNotParse("an empty batch (the specification calls it invalid)")] }
        return batch.enumerated().map { index, element in
            JSONRPCLens.view(of: element, batch: (index, batch.count))
        }
    }

    /// One request or response, the element `batch.index` of `batch.count` when in a batch.
    static func view(of value: LensValue, batch: (index: Int, count: Int)?) -> LensView {
        guard case .object(let members) = value else {
            return .doesNotParse("a JSON-RPC message is an object, not \(value.json(limit: 40))")
        }
        let prefix = batch.map { "[\($0.index + 1)/\($0.count)] " } ?? ""
        var suffix = ""
        if value["jsonrpc"] != .string("2.0") { suffix = " (no \"jsonrpc\": \"2.0\")" }
        let id = value["id"]
        let idText = id.map { " id=\($0.json(limit: 40))" } ?? ""
        var fields = members
        if let batch { fields.insert(LensField("batchIndex", .integer(Int64(batch.index))), at: 0) }
        if let method = value["method"] {
            let methodName = method.stringValue ?? method.json(limit: 40)
            let params = value["params"].map { " " + $0.json(limit: 80) } ?? ""
            guard let id else {
                return LensView(
                    summary: "\(prefix)notify \(methodName)\(params)\(suffix)", fields: fields, method: methodName)
            }
            return LensView(
                summary: "\(prefix)call \(methodName)\(params)\(idText)\(suffix)", fields: fields,
                correlation: LensCorrelation(id: id.json, role: .request), method: methodName)
        }
        let correlation = id.flatMap { $0 == .null ? nil : LensCorrelation(id: $0.json, role: .response) }
        if let error = value["error"] {
            let code = error["code"].map { " " + $0.json } ?? ""
            let text = error["message"].map { " " + ($0.stringValue ?? $0.json(limit: 60)) } ?? ""
            return LensView(
                summary: "\(prefix)error\(idText)\(code)\(text)\(suffix)", fields: fields, correlation: correlation,
                isError: true)
        }
        if let result = value["result"] {
            return LensView(
                summary: "\(prefix)result\(idText) \(result.json(limit: 80))\(suffix)", fields: fields,
                correlation: correlation)
        }
        return .doesNotParse("neither a request (\"method\") nor a response (\"result\" or \"error\")")
    }
}
