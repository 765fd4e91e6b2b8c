/// The header fields of an HTTP/1.1 head: an ordered list of name-value pairs.
///
/// Order, duplicates and the original spelling of names are kept so that a head can be shown and
/// re-serialized as it was received. Look-ups by name ignore ASCII case, as HTTP requires.
public struct HTTPHeaderFields: Hashable, Sendable {
    /// One header line: a name and its value (without surrounding whitespace), and for a parsed line the value
    /// exactly as it stood after the colon.
    public struct Field: Hashable, Sendable {
        /// The field name as spelled on the wire.
        public var name: String
        /// The field value, without leading or trailing whitespace. Setting it drops `wireValue`.
        public var value: String {
            didSet { wireValue = nil }
        }
        /// Everything between the colon and the end of the line as received, whitespace included (`" abc "` for
        /// `Name: abc `); `nil` for a field made or changed in code. Serializing writes it back, so a head that is
        /// passed on keeps its bytes, and hybi-00 keys keep a trailing space that counts (see
        /// `Hybi00Handshake.keyTexts(_:in:)`).
        public private(set) var wireValue: String?

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
            self.wireValue = nil
        }

        /// Creates a field as parsed from a line: `wireValue` is the text after the colon, unchanged, and the
        /// value is that text without leading and trailing spaces and tabs.
        public init(name: String, wireValue: String) {
            self.name = name
            self.value = HTTPSyntax.trimmingWhitespace(wireValue)
            self.wireValue = wireValue
        }

        /// The text to write after `name:` on the wire: `wireValue` when kept, else one space and the value.
        public var serializedValue: String { wireValue ?? " " + value }

        /// Fields are equal when their names and values are; `wireValue` records provenance and is ignored.
        public static func == (lhs: Field, rhs: Field) -> Bool {
            lhs.name == rhs.name && lhs.value == rhs.value
        }

        /// Hashes the same parts that `==` compares.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            hasher.combine(value)
        }
    }

    /// The fields in order.
    public private(set) var fields: [Field]

    /// Creates an empty list.
    public init() {
        fields = []
    }

    /// Creates a list from fields, keeping their order.
    public init(_ fields: some Sequence<Field>) {
        self.fields = Array(fields)
    }

    /// Creates a list from name-value pairs, keeping their order.
    public init(_ pairs: [(name: String, value: String)]) {
        fields = pairs.map { Field(name: $0.name, value: $0.value) }
    }

    /// The value of the first field with this name (ASCII case ignored), or `nil`.
    public func first(_ name: String) -> String? {
        fields.first { HTTPSyntax.equalsIgnoringASCIICase($0.name, name) }?.value
    }

    /// The values of every field with this name (ASCII case ignored), in order.
    public func values(_ name: String) -> [String] {
        fields.filter { HTTPSyntax.equalsIgnoringASCIICase($0.name, name) }.map(\.value)
    }

    /// The values of every field with this name (ASCII case ignored), in order, as they stood after the colon
    /// (`wireValue`, whitespace included) where the field was parsed, else the value.
    public func wireValues(_ name: String) -> [String] {
        fields.filter { HTTPSyntax.equalsIgnoringASCIICase($0.name, name) }.map { $0.wireValue ?? $0.value }
    }

    /// Whether at least one field has this name (ASCII case ignored).
    public func contains(_ name: String) -> Bool {
        fields.contains { HTTPSyntax.equalsIgnoringASCIICase($0.name, name) }
    }

    /// The elements of a comma-separated list header, across every field with this name, in order.
    ///
    /// Elements are trimmed of spaces and tabs and empty elements are dropped (RFC 7230 section 7).
    /// Quoted strings are not interpreted: use this for plain token lists such as `Connection` and `Upgrade`.
    public func tokens(_ name: String) -> [String] {
        values(name).flatMap { value in
            value.split(separator: ",", omittingEmptySubsequences: false)
                .map { HTTPSyntax.trimmingWhitespace($0) }
                .filter { !$0.isEmpty }
        }
    }

    /// Whether the comma-separated list under `name` holds `token`, comparing with ASCII case ignored.
    public func containsToken(_ token: String, in name: String) -> Bool {
        tokens(name).contains { HTTPSyntax.equalsIgnoringASCIICase($0, token) }
    }

    /// Appends a field after all others, even when the name is already present.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Appends a field after all others, its `wireValue` kept.
    public mutating func add(_ field: Field) {
        fields.append(field)
    }

    /// Appends every field of another list, in order.
    public mutating func add(contentsOf other: HTTPHeaderFields) {
        fields.append(contentsOf: other.fields)
    }

    /// Sets the single value of a name: the first field with the name keeps its place and takes the new
    /// value and spelling, later fields with the name are removed; appends when the name is absent.
    public mutating func replaceOrAdd(name: String, value: String) {
        guard let index = fields.firstIndex(where: { HTTPSyntax.equalsIgnoringASCIICase($0.name, name) }) else {
            add(name: name, value: value)
            return
        }
        fields[index] = Field(name: name, value: value)
        var position = index + 1
        while position < fields.count {
            if HTTPSyntax.equalsIgnoringASCIICase(fields[position].name, name) {
                fields.remove(at: position)
            } else {
                position += 1
            }
        }
    }

    /// Removes every field with this name (ASCII case ignored).
    public mutating func remove(name: String) {
        fields.removeAll { HTTPSyntax.equalsIgnoringASCIICase($0.name, name) }
    }
}

extension HTTPHeaderFields: RandomAccessCollection {
    /// The position of the first field.
    public var startIndex: Int { fields.startIndex }
    /// The position after the last field.
    public var endIndex: Int { fields.endIndex }

    /// The field at a position.
    public subscript(position: Int) -> Field { fields[position] }
}

extension HTTPHeaderFields: ExpressibleByDictionaryLiteral {
    /// Creates a list from a literal such as `["Host": "example.com", "Upgrade": "websocket"]`, in written order;
    /// a name may repeat.
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }
}

extension HTTPHeaderFields: CustomStringConvertible {
    /// The fields as `Name: value` lines joined by newlines.
    public var description: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }
}
