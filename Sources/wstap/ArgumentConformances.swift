public import ArgumentParser
public import WSTapCore
public import WSTapExport
public import WSTapReplay
public import WSTapRuntime

// The core's enums used directly as option values (`--variant hybi00`, `--role client`).
extension ProtocolVariant: ExpressibleByArgument {}
extension Hybi00Framing: ExpressibleByArgument {}
extension EndpointRole: ExpressibleByArgument {}
extension ClientScript.Kind: ExpressibleByArgument {}
extension MockServerOptions.Matching: ExpressibleByArgument {}

extension ListenAddress: ExpressibleByArgument {
    /// Reads `HOST:PORT` (see ``ListenAddress/parse(_:)``).
    public init?(argument: String) {
        guard let address = try? Self.parse(argument) else { return nil }
        self = address
    }
}
