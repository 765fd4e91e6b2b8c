/// How the detail pane shows a payload.
public enum PayloadView: String, Hashable, Sendable, CaseIterable {
    /// Pretty JSON when it parses, text when it is UTF-8, hex otherwise.
    case auto
    case text
    case json
    case hex

    /// The next view in the cycle the `v` key walks.
    var next: PayloadView {
        switch self {
        case .auto: return .text
        case .text: return .json
        case .json: return .hex
        case .hex: return .auto
        }
    }
}
