public import WSTapLenses

/// One step of a path into a JSON value (`user.roles[0]`): a member or an element.
public enum JSONPathStep: Sendable, Equatable {
    case member(String)
    case element(Int)

    /// Reads `user.roles[0].name` (or `$.user...`, `[0]` at the start); nil when it is not a path.
    public static func parse(_ text: String) -> [JSONPathStep]? {
        var steps: [JSONPathStep] = []
        var rest = Substring(text)
        if rest.hasPrefix("$") { rest = rest.dropFirst() }
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        while !rest.isEmpty {
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"),
                    let index = Int(rest[rest.index(after: rest.startIndex)..<close]),
                    index >= 0
                else { return nil }
                steps.append(.element(index))
                rest = rest[rest.index(after: close)...]
                if rest.hasPrefix(".") { rest = rest.dropFirst() }
                continue
            }
            let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
            let name = rest[..<end]
            guard !name.isEmpty else { return nil }
            steps.append(.member(String(name)))
            rest = rest[end...]
            if rest.hasPrefix(".") { rest = rest.dropFirst() }
        }
        return steps
    }

    /// The value at `path` in `value`, or nil.
    public static func value(at path: [JSONPathStep], in value: LensValue) -> LensValue? {
        var current = value
        for step in path {
            switch step {
            case .member(let name):
                guard let next = current[name] else { return nil }
                current = next
            case .element(let index):
                guard let list = current.listValue, index < list.count else { return nil }
                current = list[index]
            }
        }
        return current
    }
}
