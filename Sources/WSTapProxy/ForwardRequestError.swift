/// Why a request to the forward proxy cannot be served; sent to the client as a `400` with this text.
struct ForwardRequestError: Error, Hashable, Sendable, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
