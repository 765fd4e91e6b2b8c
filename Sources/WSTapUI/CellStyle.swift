/// How a cell is drawn: its colour role and attributes.
public struct CellStyle: Hashable, Sendable {
    public var colour: ColourRole
    public var attributes: CellAttributes

    public init(_ colour: ColourRole = .normal, _ attributes: CellAttributes = []) {
        self.colour = colour
        self.attributes = attributes
    }

    public static let normal = CellStyle()

    /// The same colour, drawn reversed (the selected row).
    public var reversed: CellStyle { CellStyle(colour, attributes.union(.reverse)) }

    /// The same colour in bold.
    public var bold: CellStyle { CellStyle(colour, attributes.union(.bold)) }
}

/// Text attributes of a cell.
public struct CellAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let bold = CellAttributes(rawValue: 1)
    public static let reverse = CellAttributes(rawValue: 2)
    public static let underline = CellAttributes(rawValue: 4)
    public static let dim = CellAttributes(rawValue: 8)
}
