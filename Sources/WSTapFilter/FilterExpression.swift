import NIOCore
import WSTapCore
import WSTapLenses

/// A parsed filter: tests joined by `&` (or plain juxtaposition), `|` and `!`, with parentheses. One grammar
/// for every place that filters (``FilterParser`` reads it; docs/filters.md describes it).
public indirect enum FilterExpression: Sendable, Equatable {
    case test(FilterTest)
    case not(FilterExpression)
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)

    /// Reads an expression such as `~dir c2s & ~b /"role":"user"/`.
    public init(parsing text: String) throws(FilterSyntaxError) {
        var parser = FilterParser(text)
        self = try parser.parse()
    }

    /// Whether any of its tests looks at what lenses read (`~lens`, `~field`): only then must the subject
    /// carry lens readings (``FilterSubject/lensReadings``); a filter without them never runs a lens.
    public var readsLenses: Bool {
        switch self {
        case .test(let test): return test.readsLenses
        case .not(let inner): return inner.readsLenses
        case .and(let left, let right), .or(let left, let right): return left.readsLenses || right.readsLenses
        }
    }

    /// Whether `subject` passes.
    public func matches(_ subject: FilterSubject) -> Bool {
        switch self {
        case .test(let test): return Self.evaluate(test, subject)
        case .not(let inner): return !inner.matches(subject)
        case .and(let left, let right): return left.matches(subject) && right.matches(subject)
        case .or(let left, let right): return left.matches(subject) || right.matches(subject)
        }
    }

    private static func evaluate(_ test: FilterTest, _ subject: FilterSubject) -> Bool {
        switch test {
        case .all: return true
        case .direction(let direction): return subject.direction == direction
        case .opcode(let names): return names.contains(subject.opcodeName)
        case .connection(let id): return subject.connection == id
        case .host(let glob): return subject.host.map(glob.matches) ?? false
        case .path(let glob): return subject.path.map(glob.matches) ?? false
        case .subprotocol(let glob): return subject.subprotocol.map(glob.matches) ?? false
        case .body(let pattern): return pattern.matches(String(buffer: subject.payload))
        case .length(let comparison, let value): return subject.length.map { comparison.holds($0, value) } ?? false
        case .fin: return subject.fin
        case .reservedBit(let bit): return subject.reservedBits.contains(bit)
        case .violation(let kind):
            guard let kind else { return !subject.violations.isEmpty }
            return subject.violations.contains { $0.rawValue == kind }
        case .json(let path, let comparison):
            guard let document = try? JSONText.parse(subject.payload.readableBytesView),
                let value = JSONPathStep.value(at: path, in: document)
            else { return false }
            return compare(value, comparison)
        case .lens(let name):
            guard let name else { return !subject.lensReadings.isEmpty }
            return subject.lensReadings.contains { name.matches($0.lens) }
        case .field(let path, let comparison):
            return subject.lensReadings.contains { reading in
                JSONPathStep.value(at: path, in: reading.fields).map { compare($0, comparison) } ?? false
            }
        }
    }

    private static func compare(_ value: LensValue, _ comparison: FilterTest.JSONComparison) -> Bool {
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let number): text = number
        case .integer(let integer): text = String(integer)
        case .bool(let bool): text = bool ? "true" : "false"
        case .null: text = "null"
        default: text = value.json
        }
        switch comparison {
        case .exists: return true
        case .matches(let pattern): return pattern.matches(text)
        case .glob(let glob): return glob.matches(text)
        case .compare(let operation, let expected):
            if let left = Double(text), let right = Double(expected), value.isNumber {
                return operation.holds(left, right)
            }
            return operation.holds(text, expected)
        }
    }
}

extension LensValue {
    fileprivate var isNumber: Bool {
        switch self {
        case .number, .integer: return true
        default: return false
        }
    }
}
