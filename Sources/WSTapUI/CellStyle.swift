/// How a cell is drawn: its colour role and attributes.
public struct CellStyle: Hashable, Sendable {
    /// The colour, as a role the screen maps to real colours.
    public var colour: ColourRole
    /// Bold, reverse, underline, dim.
    public var attributes: CellAttributes

    /// A style with this colour role and these attributes (the normal colour, plain, by default).
    public init(_ colour: ColourRole = .normal, _ attributes: CellAttributes = []) {
        self.colour = colour
        self.attributes = attributes
    }

    /// The normal colour with no attributes.
    public static let normal = CellStyle()

    /// The same colour, drawn reversed (the selected row).
    public var reversed: CellStyle { CellStyle(colour, attributes.union(.reverse)) }

    /// The same colour in bold.
    public var bold: CellStyle { CellStyle(colour, attributes.union(.bold)) }
}

/// Text attributes of a cell.
public struct CellAttributes: OptionSet, Hashable, Sendable {
    /// One bit per attribute.
    public let rawValue: UInt8

    /// Attributes from their bits.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Bold (or bright) text.
    public static let bold = CellAttributes(rawValue: 1)
    /// Foreground and background swapped (the selected row).
    public static let reverse = CellAttributes(rawValue: 2)
    /// Underlined text.
    public static let underline = CellAttributes(rawValue: 4)
    /// Dim text, for what matters less.
    public static let dim = CellAttributes(rawValue: 8)
}
