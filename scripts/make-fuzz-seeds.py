#!/usr/bin/env python3
"""Writes the hand-made seed inputs of Fuzz/corpus/ (see docs/fuzzing.md for the input layout)."""
import os, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fuzz", "corpus")
os.makedirs(root, exist_ok=True)

h = bytes.fromhex
rfc = {  # RFC 6455 section 5.7 examples
    "text-unmasked": h("810548656c6c6f"),
    "text-masked": h("818537fa213d7f9f4d5158"),
    "fragment-1": h("010348656c"),
    "fragment-2": h("80026c6f"),
    "ping": h("890548656c6c6f"),
    "pong-masked": h("8a8537fa213d7f9f4d5158"),
    "binary-256": h("827e0100") + bytes(range(256)),
    "binary-65536": h("827f0000000000010000") + bytes(i & 0xFF for i in range(65536)),
}
rfc["fragmented-text"] = rfc["fragment-1"] + rfc["fragment-2"]
rfc["all-small"] = b"".join(rfc[k] for k in ["text-unmasked", "text-masked", "fragment-1", "ping", "fragment-2", "pong-masked"])
rfc["close-1000"] = h("880203e8")

def put(name, data):
    with open(os.path.join(root, name), "wb") as f:
        f.write(data)

# mode 0: 00, config (flags, capture, sizes, chunking, assembler), stream
for name, stream in rfc.items():
    put(f"rfc6455-{name}", b"\x00" + h("0000000000") + stream)
    put(f"rfc6455-{name}-client-chunked", b"\x00" + h("0100000900") + stream)
    put(f"rfc6455-{name}-server-capture", b"\x00" + h("0205130601") + stream)

# mode 1: 01, config (framing+capture, size+switching, chunking), stream
hybi = {"old-text": h("004869ff"), "old-close": h("ff00"), "old-both": h("004869ff") + h("ff00")}
hybi_new = {"new-text": h("ff0000000000000002") + b"Hi", "new-close": h("000000000000000000")}
for name, stream in hybi.items():
    put(f"hybi00-{name}", b"\x01" + h("000000") + stream)
    put(f"hybi00-{name}-switching", b"\x01" + h("003011") + stream)
for name, stream in hybi_new.items():
    put(f"hybi00-{name}", b"\x01" + h("010000") + stream)
put("hybi00-old-then-new", b"\x01" + h("001000") + h("004869ff") + h("ff0000000000000002") + b"Hi")

# mode 2: 02, chunking, text
put("utf8-ascii", b"\x02\x00" + b"Hello, world")
put("utf8-mixed-chunked", b"\x02\x09" + "héllo Привет 你好 🙂".encode())
put("utf8-invalid", b"\x02\x0a" + h("48e282") + h("eda080") + h("f4908080"))

# mode 3: 03, spec bytes (first byte, mask/encoding, key x4, hybi type), payload
put("craft-text-masked", b"\x03" + h("8101" + "37fa213d" + "00") + b"Hello")
put("craft-binary-16bit", b"\x03" + h("8208" + "00000000" + "81") + bytes(130))
print("seeds written to", os.path.normpath(root))

# mode 4: 04, sub-mode byte (0 request, 1 response, 2 header values, 3 decode command input), bytes
request = (b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\n"
           b"Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n")
response = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n")
hybi_request = (b"GET /demo HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade\r\nSec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n"
                b"Sec-WebSocket-Protocol: sample\r\nUpgrade: WebSocket\r\nSec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
                b"Origin: http://example.com\r\n\r\n^n:ds[4U")
hybi_response = (b"HTTP/1.1 101 WebSocket Protocol Handshake\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
                 b"Sec-WebSocket-Origin: http://example.com\r\nSec-WebSocket-Location: ws://example.com/demo\r\n"
                 b"Sec-WebSocket-Protocol: sample\r\n\r\n8jKS'y:G*Co,Wxa-")
put("handshake-request", b"\x04\x00" + request)
put("handshake-request-hybi00", b"\x04\x00" + hybi_request)
put("handshake-response", b"\x04\x01" + response)
put("handshake-response-hybi00", b"\x04\x01" + hybi_response)
put("handshake-values", b"\x04\x02" + b"permessage-deflate; client_max_window_bits, x-webkit-deflate-frame\nchat, superchat\ndGhlIHNhbXBsZSBub25jZQ==\n4 @1  46546xW%0l 1 5")
put("decode-hex-rfc6455", b"\x04" + bytes([3 | (1 << 2) | 64]) + b"81 85 37 fa 21 3d 7f 9f 4d 51 58")
put("decode-raw-rfc6455", b"\x04\x03" + rfc["all-small"])
put("decode-raw-hybi00", b"\x04" + bytes([3 | 4]) + h("004869ff") + h("ff00"))
