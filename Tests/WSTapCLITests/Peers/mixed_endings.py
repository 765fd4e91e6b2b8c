"""Many WebSocket connections that end in different ways, for the test that the proxy reports each
connection's close exactly once.

`mixed_endings.py serve`: a python3-websockets (Debian) server on 127.0.0.1 (port chosen by the system,
printed first). By path: `/server-close` closes at once (1000), `/both` closes (1000) when the first
message arrives, anything else echoes until the client ends.

`mixed_endings.py drive PORT COUNT`: COUNT raw-socket clients to 127.0.0.1:PORT, a few at a time, the
endings taken in turn:
- `client-close`: a close frame (1000), then reads to the end;
- `server-close`: waits for the server's close frame, answers it, reads to the end;
- `reset`: a message, then an RST (SO_LINGER 0) with no close frame;
- `half-close`: a message, then FIN (shutdown for writing) with no close frame, reads to the end;
- `both`: a message that makes the server close, its close frame and FIN in the same write, so that
  both sides close at the same moment.
Prints `done COUNT` (and nothing else on standard output); a handshake that fails is told on standard
error and makes the exit status 1.
"""
import asyncio
import base64
import os
import socket
import struct
import sys
from concurrent.futures import ThreadPoolExecutor

ENDINGS = ["client-close", "server-close", "reset", "half-close", "both"]
# Only a hung peer waits this long.
DEADLINE = 30


async def handler(ws, path=None):
    import websockets

    if path is None:  # websockets 10 passes the path as an attribute, 13 and later as `request.path`
        path = ws.path if hasattr(ws, "path") else ws.request.path
    try:
        if path == "/server-close":
            await ws.close(1000, "server ends")
        elif path == "/both":
            await ws.recv()
            await ws.close(1000, "both end")
        else:
            async for message in ws:
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def serve():
    import websockets

    async with websockets.serve(handler, "127.0.0.1", 0, compression=None, close_timeout=5) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.sleep(300)


def frame(opcode, payload):
    """A masked client frame (payloads under 126 bytes)."""
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked


def close_frame(code=1000):
    return frame(0x8, struct.pack("!H", code))


def handshake(port, path):
    """Opens a connection and upgrades it; returns the socket and any bytes read past the response."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    sock.sendall(request.encode())
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError(f"{path}: the connection ended during the handshake: {received!r}")
        received += chunk
    head, rest = received.split(b"\r\n\r\n", 1)
    if not head.startswith(b"HTTP/1.1 101"):
        raise ConnectionError(f"{path}: no upgrade: {head!r}")
    return sock, rest


def read_to_end(sock, received=b""):
    """Reads until the peer ends the connection (a reset counts as an end); returns what came."""
    try:
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                return received
            received += chunk
    except OSError:
        return received


def wait_for_close_frame(sock, received):
    """Reads server frames (unmasked) until a close frame; returns whether one came."""
    while True:
        while len(received) >= 2:
            length = received[1] & 0x7F
            start = 2
            if length == 126:
                if len(received) < 4:
                    break
                length, start = struct.unpack("!H", received[2:4])[0], 4
            elif length == 127:
                if len(received) < 10:
                    break
                length, start = struct.unpack("!Q", received[2:10])[0], 10
            if len(received) < start + length:
                break
            if received[0] & 0x0F == 0x8:
                return True
            received = received[start + length :]
        try:
            chunk = sock.recv(4096)
        except OSError:
            return False
        if not chunk:
            return False
        received += chunk


def one(port, number):
    ending = ENDINGS[number % len(ENDINGS)]
    path = {"server-close": "/server-close", "both": "/both"}.get(ending, f"/{ending}")
    sock, rest = handshake(port, path)
    try:
        if ending == "client-close":
            sock.sendall(close_frame())
            read_to_end(sock, rest)
        elif ending == "server-close":
            if wait_for_close_frame(sock, rest):
                sock.sendall(close_frame())
            read_to_end(sock)
        elif ending == "reset":
            sock.sendall(frame(0x1, b"reset follows"))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif ending == "half-close":
            sock.sendall(frame(0x1, b"half-close follows"))
            sock.shutdown(socket.SHUT_WR)
            read_to_end(sock, rest)
        else:
            sock.sendall(frame(0x1, b"close now") + close_frame())
            sock.shutdown(socket.SHUT_WR)
            read_to_end(sock, rest)
    except OSError:
        pass  # The other side may end first (reset, not connected); the ending is what counts.
    finally:
        sock.close()


def drive(port, count):
    failures = []
    with ThreadPoolExecutor(max_workers=10) as pool:
        for number, future in enumerate([pool.submit(one, port, n) for n in range(count)]):
            try:
                future.result()
            except Exception as error:  # noqa: BLE001 - every failure is told
                failures.append(f"connection {number} ({ENDINGS[number % len(ENDINGS)]}): {error!r}")
    for failure in failures:
        print(failure, file=sys.stderr, flush=True)
    print(f"done {count}", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        asyncio.run(serve())
    else:
        drive(int(sys.argv[2]), int(sys.argv[3]))
