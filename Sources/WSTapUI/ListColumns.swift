/// Where the frame list's (or message list's) columns go at a screen width. From 80 columns on every
/// column is shown; narrower screens drop columns, least useful first (MASK, RSV, FIN, time, connection),
/// until the payload preview has room.
struct ListColumns: Hashable, Sendable {
    enum Kind: Hashable, Sendable, CaseIterable {
        case marker, time, connection, arrow, opcode, fin, rsv, mask, frames, length, preview

        /// Columns taken (the preview takes the rest of the row).
        var width: Int {
            switch self {
            case .marker, .arrow, .fin: return 1
            case .time, .opcode: return 12
            case .connection: return 5
            case .rsv: return 3
            case .mask, .length: return 8
            case .frames: return 6
            case .preview: return 0
            }
        }

        var title: String {
            switch self {
            case .marker: return ""
            case .time: return "time"
            case .connection: return " conn"
            case .arrow: return "↔"
            case .opcode: return "opcode"
            case .fin: return "F"
            case .rsv: return "RSV"
            case .mask: return "mask"
            case .frames: return "frames"
            case .length: return "  length"
            case .preview: return "payload"
            }
        }
    }

    /// The preview keeps at least this many columns while there are columns to drop.
    static let minimumPreview = 16
    static let dropOrder: [Kind] = [.mask, .rsv, .fin, .time, .connection]

    /// The first column of each shown kind.
    private(set) var starts: [Kind: Int] = [:]

    init(width: Int, messages: Bool) {
        var kinds: [Kind] =
            messages
            ? [.marker, .time, .connection, .arrow, .opcode, .frames, .length]
            : [.marker, .time, .connection, .arrow, .opcode, .fin, .rsv, .mask, .length]
        func used() -> Int { kinds.reduce(0) { $0 + $1.width + 1 } }
        // Up to 80 columns everything fits with 20 for the preview.
        if width < 80 {
            for kind in Self.dropOrder where width - used() < Self.minimumPreview {
                kinds.removeAll { $0 == kind }
            }
        }
        var column = 0
        for kind in kinds {
            starts[kind] = column
            column += kind.width + 1
        }
        starts[.preview] = column
    }

    /// The first column of a kind, or `nil` when it is not shown.
    subscript(_ kind: Kind) -> Int? { starts[kind] }

    /// Where the preview starts.
    var preview: Int { starts[.preview] ?? 0 }

    /// Draws the heading row.
    func drawHeading(into grid: inout CellGrid, row: Int, style: CellStyle) {
        for kind in Kind.allCases {
            guard let start = starts[kind], !kind.title.isEmpty else { continue }
            grid.write(kind.title, row: row, column: start, style: style)
        }
    }
}
