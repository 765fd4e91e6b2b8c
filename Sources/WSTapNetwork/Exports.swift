// `import WSTapNetwork` is all an application needs: the protocol core's types that the API takes and
// returns (`CloseCode`, `Opcode`, `Message`, `WebSocketURL`, `HTTPHeaderFields`, `CloseOutcome`...) and the
// SwiftNIO value types it uses (`ByteBuffer`, `TimeAmount`, `SocketAddress`), without adding swift-nio to the
// application's Package.swift or importing NIOCore.
@_exported public import WSTapCore

@_exported public import struct NIOCore.ByteBuffer
@_exported public import struct NIOCore.ByteBufferView
@_exported public import enum NIOCore.SocketAddress
@_exported public import struct NIOCore.TimeAmount
