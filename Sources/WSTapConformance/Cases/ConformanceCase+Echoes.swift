import WSTapCore

extension ConformanceCase {
    /// One case per size, numbered `PREFIX.1`, `PREFIX.2`...: a text (or binary) message of that size,
    /// which must come back exactly.
    static func echoes(
        _ prefix: String, sizes: [Int], binary: Bool, describe: (Int) -> String
    ) -> [ConformanceCase] {
        sizes.enumerated().map { index, size in
            let id = "\(prefix).\(index + 1)"
            guard binary else {
                let text = Payloads.ascii(size)
                return ConformanceCase(id, describe(size), [.text(text)], .replies([.message(.text, text)]))
            }
            let bytes = Payloads.binary(size)
            return ConformanceCase(id, describe(size), [.binary(bytes)], .replies([.message(.binary, bytes)]))
        }
    }
}
