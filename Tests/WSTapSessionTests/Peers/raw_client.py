"""A WebSocket client on a plain socket, for checking recordings byte for byte.

Usage: raw_client.py PORT OUT_DIR
Opens ws://127.0.0.1:PORT/raw, then sends (masked): a text frame, a 3 MiB binary frame, a text
message in two fragments, a ping, and a frame with the reserved opcode 3 (invalid), then reads
until the server (which closes with 1002) ends TCP. Writes every byte it
sent after the handshake to OUT_DIR/c2s.bin and every byte it received after the response head to
OUT_DIR/s2c.bin, then prints "done".
"""
import base64
import os
import socket
import struct
import sys
import threading
import time


def frame(opcode, payload, fin=True):
    key = os.urandom(4)
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    masked = bytes(b ^ key[i % 4] for i, b in enumerate(payload)) if n < 4096 else mask_fast(payload, key)
    return head + key + masked


def mask_fast(payload, key):
    whole = (key * (len(payload) // 4 + 1))[: len(payload)]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(whole, "big")).to_bytes(len(payload), "big")


def frame_ends(stream):
    """(opcode, end offset) of every complete frame in an unmasked server stream."""
    frames = []
    at = 0
    while at + 2 <= len(stream):
        opcode = stream[at] & 0x0F
        n = stream[at + 1] & 0x7F
        head = 2
        if n == 126:
            if at + 4 > len(stream):
                break
            n = struct.unpack("!H", stream[at + 2 : at + 4])[0]
            head = 4
        elif n == 127:
            if at + 10 > len(stream):
                break
            n = struct.unpack("!Q", stream[at + 2 : at + 10])[0]
            head = 10
        if at + head + n > len(stream):
            break
        at += head + n
        frames.append((opcode, at))
    return frames


def wait_for(s2c, opcode, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if any(code == opcode for code, _ in frame_ends(bytes(s2c))):
            return True
        time.sleep(0.01)
    return False


def main(port, out_dir):
    sock = socket.create_connection(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /raw HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (port, key)
    )
    sock.sendall(request.encode())
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("connection closed during the handshake")
        received += chunk
    head, _, rest = received.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101"):
        sys.exit("not upgraded: %r" % head)
    s2c = bytearray(rest)
    done = threading.Event()

    def reader():
        while True:
            chunk = sock.recv(1 << 20)
            if not chunk:
                break
            s2c.extend(chunk)
        done.set()

    threading.Thread(target=reader, daemon=True).start()
    c2s = bytearray()

    def send(data):
        c2s.extend(data)
        sock.sendall(data)

    send(frame(1, "hello \"raw\" é".encode()))
    send(frame(2, os.urandom(3 * 1024 * 1024)))
    send(frame(1, b"frag", fin=False))
    send(frame(0, b"ment"))
    send(frame(9, b"p"))
    # Let the echoes come back (the pong is last) before the invalid frame makes the server close.
    if not wait_for(s2c, 0xA):
        sys.exit("no pong from the server")
    send(frame(3, b"\x01\x02"))
    if not wait_for(s2c, 0x8):
        sys.exit("no close frame from the server")
    # node-ws ends TCP right after its close frame: a close frame sent now could be lost in the race, so
    # none is sent (everything sent so far was relayed before the server closed, since it caused it).
    done.wait(20)
    sock.close()
    with open(os.path.join(out_dir, "c2s.bin"), "wb") as f:
        f.write(c2s)
    with open(os.path.join(out_dir, "s2c.bin"), "wb") as f:
        f.write(s2c)
    print("done", len(c2s), len(s2c), flush=True)


main(int(sys.argv[1]), sys.argv[2])
