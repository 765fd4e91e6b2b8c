// Mode 4: the HTTP/handshake parsers (Sources/WSTapCore/Handshake/) and the `decode` command's input
// path (WSTapInspect.DecodeRun). The first config byte picks the sub-mode; none may trap, and what
// parses must survive a round trip.

import NIOCore
import WSTapCore
import WSTapInspect

func fuzzHandshake(_ bytes: UnsafeBufferPointer<UInt8>) {
    let (config, rest) = split(bytes, configCount: 1)
    let input = Array(rest)
    switch config[0] % 4 {
    case 0: fuzzRequestHead(input)
    case 1: fuzzResponseHead(input)
    case 2: fuzzHeaderValues(input)
    default: fuzzDecodeRun(input, options: config[0] >> 2)
    }
}

/// Checks what every parsed head must satisfy: its raw bytes are exactly the head's prefix of the input.
func checkHeadLength(_ input: [UInt8], raw: [UInt8]?) {
    let length = (try? HTTPHeadParser.headLength(in: input)) ?? nil
    precondition(length != nil, "a head parsed but has no length")
    precondition(raw == Array(input.prefix(length!)), "rawBytes is not the head's prefix of the input")
}

func fuzzRequestHead(_ input: [UInt8]) {
    guard let head = try? HTTPHeadParser.parseRequest(input) else { return }
    checkHeadLength(input, raw: head.rawBytes)
    // What parsed re-serializes (canonical CRLF form) to a head that parses back the same.
    let again: HTTPRequestHead
    do {
        again = try HTTPHeadParser.parseRequest(head.serialized())
    } catch {
        preconditionFailure("serialized request head does not parse: \(error)")
    }
    precondition(again == head, "request head changes in a serialize/parse round trip")
    let body = Array(input.dropFirst(head.rawBytes?.count ?? 0))
    _ = RFC6455Handshake.validateClientRequest(head)
    _ = Hybi00Handshake.validateClientRequest(head, body: body)
}

func fuzzResponseHead(_ input: [UInt8]) {
    guard let head = try? HTTPHeadParser.parseResponse(input) else { return }
    checkHeadLength(input, raw: head.rawBytes)
    precondition(head.statusCode >= 100, "status code below 100 accepted (F2)")
    let again: HTTPResponseHead
    do {
        again = try HTTPHeadParser.parseResponse(head.serialized())
    } catch {
        preconditionFailure("serialized response head does not parse: \(error)")
    }
    precondition(again == head, "response head changes in a serialize/parse round trip")
    let body = Array(input.dropFirst(head.rawBytes?.count ?? 0))
    _ = try? RFC6455Handshake.validateServerResponse(
        head, key: "dGhlIHNhbXBsZSBub25jZQ==", requestedSubprotocols: ["chat", "superchat"],
        offeredExtensions: ["permessage-deflate"])
    _ = try? Hybi00Handshake.validateServerResponse(
        head, body: body, expectedAnswer: Array("8jKS'y:G*Co,Wxa-".utf8), expectedOrigin: "http://example.com",
        expectedLocation: "ws://example.com/demo", requestedSubprotocol: "sample")
}

/// Header values: Sec-WebSocket-Extensions and -Protocol lists, base64, hybi-00 keys.
func fuzzHeaderValues(_ input: [UInt8]) {
    // Split the input at LF into several header values.
    let values = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
        String(decoding: $0, as: UTF8.self)
    }
    if let offers = try? ExtensionOffer.parse(values: values) {
        let text = ExtensionOffer.headerValue(for: offers)
        guard let again = try? ExtensionOffer.parse(values: [text]) else {
            preconditionFailure("extension offers do not parse back from their header text")
        }
        precondition(again == offers, "extension offers change in a round trip")
    }
    if let protocols = try? SubprotocolList.parse(values: values), !protocols.isEmpty {
        let text = SubprotocolList.headerValue(for: protocols)
        guard let again = try? SubprotocolList.parse(values: [text]) else {
            preconditionFailure("subprotocols do not parse back from their header text")
        }
        precondition(again == protocols, "subprotocols change in a round trip")
    }
    for value in values {
        if let decoded = Base64.decode(value) {
            precondition(Base64.decode(Base64.encode(decoded)) == decoded, "base64 round trip")
        }
        _ = RFC6455Handshake.isValidClientKey(value)
        _ = try? Hybi00Handshake.keyNumber(value)
    }
    precondition(Base64.decode(Base64.encode(input)) == input, "base64 round trip of raw bytes")
    if input.count >= 8 {
        _ = try? Hybi00Handshake.answer(key1: values.first ?? "", key2: values.last ?? "", key3: Array(input.prefix(8)))
    }
}

/// The `decode` command's input path: hex text or raw bytes, either protocol, any options.
func fuzzDecodeRun(_ input: [UInt8], options bits: UInt8) {
    let roles: [EndpointRole?] = [nil, .client, .server, nil]
    let options = DecodeRun.Options(
        variant: bits & 1 == 0 ? .rfc6455 : .hybi00, role: roles[Int(bits >> 1) & 3],
        framing: bits & 8 == 0 ? .old : .new, allowedReservedBits: ReservedBits(number: bits >> 4),
        json: bits & 32 != 0)
    let isHex = bits & 64 != 0
    guard let buffer = try? DecodeRun.input(from: input, isHexText: isHex) else {
        precondition(isHex, "raw input refused")
        return
    }
    var lines = 0
    let summary = DecodeRun.run(buffer, options: options) { line in
        lines += 1
        precondition(!line.isEmpty)
    }
    precondition(summary.frames >= summary.framesWithViolations)
    precondition(lines == summary.frames + (summary.leftoverBytes && options.variant == .rfc6455 ? 1 : 0))
}
