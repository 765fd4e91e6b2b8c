public import WSTapCore

/// One test of a filter expression (`~dir c2s`, `~b /regex/`...).
public enum FilterTest: Sendable, Equatable {
    /// How a number is compared.
    public enum Comparison: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="

        func holds<Value: Comparable>(_ left: Value, _ right: Value) -> Bool {
            switch self {
            case .equal: return left == right
            case .notEqual: return left != right
            case .less: return left < right
            case .lessOrEqual: return left <= right
            case .greater: return left > right
            case .greaterOrEqual: return left >= right
            }
        }
    }

    /// Text to find: plain (case ignored) or a regular expression.
    public enum TextPattern: Sendable, Equatable {
        case contains(String)
        case regex(FilterRegex)

        func matches(_ text: String) -> Bool {
            switch self {
            case .contains(let needle): return needle.isEmpty || text.containsIgnoringCase(needle)
            case .regex(let regex): return regex.matches(text)
            }
        }
    }

    /// How a JSON value (or a lens field) is compared.
    public enum JSONComparison: Sendable, Equatable {
        /// Compared as numbers when both are numbers, else as text.
        case compare(Comparison, String)
        /// The value's text matches (`~= /REGEX/` or `~= TEXT`).
        case matches(TextPattern)
        /// The value's whole text matches a glob (`~ GLOB`, case ignored).
        case glob(Glob)
        /// The path exists.
        case exists
    }

    /// `~dir c2s|s2c`
    case direction(TrafficDirection)
    /// `~op NAME|N[,NAME...]`
    case opcode([String])
    /// `~conn N`
    case connection(UInt64)
    /// `~host GLOB`
    case host(Glob)
    /// `~path GLOB`
    case path(Glob)
    /// `~proto NAME` (the agreed subprotocol; a glob)
    case subprotocol(Glob)
    /// `~b TEXT` or `~b /REGEX/` on the payload (inflated)
    case body(TextPattern)
    /// `~len OP N`
    case length(Comparison, UInt64)
    /// `~fin`
    case fin
    /// `~rsv1`, `~rsv2`, `~rsv3`
    case reservedBit(ReservedBits)
    /// `~violation [KIND]`
    case violation(String?)
    /// `~json PATH [OP VALUE]`
    case json(path: [JSONPathStep], JSONComparison)
    /// `~lens [GLOB]`: a lens read the message (one whose name matches).
    case lens(Glob?)
    /// `~field PATH [OP VALUE]` on the fields a lens decoded in the message.
    case field(path: [JSONPathStep], JSONComparison)
    /// `~all`: always true.
    case all

    /// Whether it looks at what lenses read (``lens(_:)``, ``field(path:_:)``).
    public var readsLenses: Bool {
        switch self {
        case .lens, .field: return true
        default: return false
        }
    }
}

extension String {
    /// Whether `needle` occurs, ignoring case.
    func containsIgnoringCase(_ needle: String) -> Bool {
        lowercased().contains(needle.lowercased())
    }
}
