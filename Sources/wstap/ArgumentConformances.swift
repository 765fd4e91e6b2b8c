public import ArgumentParser
public import WSTapCore
public import WSTapReplay

// The core's enums used directly as option values (`--variant hybi00`, `--role client`).
extension ProtocolVariant: ExpressibleByArgument {}
extension Hybi00Framing: ExpressibleByArgument {}
extension EndpointRole: ExpressibleByArgument {}
extension MockServerOptions.Matching: ExpressibleByArgument {}
