/// A decoded value in a lens's tree of fields: what JSON can hold, plus bytes (an MQTT payload, a Socket.IO
/// attachment). Objects keep their members in the order they came.
public indirect enum LensValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A whole number the lens read from binary (an MQTT packet id, a QoS).
    case integer(Int64)
    /// A JSON number, exactly as written (so `1.10` stays `1.10`).
    case number(String)
    case string(String)
    /// Bytes that are not text.
    case bytes([UInt8])
    case list([LensValue])
    case object([LensField])

    /// The value of the member `name` of an object (the first, if there are several), or nil.
    public subscript(_ name: String) -> LensValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.name == name }?.value
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The elements, if this is a list.
    public var listValue: [LensValue]? {
        if case .list(let elements) = self { return elements }
        return nil
    }

    /// A number or a string that holds one, as an integer (a JSON-RPC or GraphQL id, say), or nil.
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let text): return Int64(text)
        default: return nil
        }
    }
}

/// One named member of a ``LensValue/object(_:)``.
public struct LensField: Sendable, Equatable {
    /// The member's name.
    public var name: String
    /// Its value.
    public var value: LensValue

    /// A member `name` holding `value`.
    public init(_ name: String, _ value: LensValue) {
        self.name = name
        self.value = value
    }
}
