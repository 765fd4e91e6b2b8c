/// One column of the screen: a character and its style. A wide character (two columns) sits in its
/// first cell with ``width`` 2; the cell after it is a continuation with width 0.
public struct Cell: Hashable, Sendable {
    /// What the cell shows (a space when blank).
    public var character: Character
    /// 1 for a normal character, 2 for the first cell of a wide one, 0 for the second cell of a wide one.
    public var width: UInt8
    /// Its colour and attributes.
    public var style: CellStyle

    /// A cell with this character, one column wide and in the normal style unless told otherwise.
    public init(_ character: Character, width: UInt8 = 1, style: CellStyle = .normal) {
        self.character = character
        self.width = width
        self.style = style
    }

    /// A space in the normal style.
    public static let blank = Cell(" ")

    /// Whether this cell is the right half of a wide character.
    public var isContinuation: Bool { width == 0 }
}
