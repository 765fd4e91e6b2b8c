import Foundation
public import WSTapCore

extension HTTPHeaderFields {
    /// Extra request headers given as `-H 'Name: value'` (repeatable), in order; one without a name or colon
    /// is an error that quotes it.
    public init(commandLine headers: [String]) throws {
        self.init()
        for header in headers {
            guard let colon = header.firstIndex(of: ":"), colon != header.startIndex else {
                throw CommandFailure("-H '\(header)': a header is 'Name: value'")
            }
            add(
                name: String(header[..<colon]).trimmingCharacters(in: .whitespaces),
                value: String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
    }
}
