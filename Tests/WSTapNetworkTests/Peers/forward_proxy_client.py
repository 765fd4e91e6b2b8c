"""Clients that reach a server through an HTTP forward proxy, for proxy tests (python3-websockets and
Python's standard library).

Usage:
  forward_proxy_client.py websockets PROXY_PORT HOST PORT CA_FILE
      CONNECT HOST:PORT through the proxy, TLS inside the tunnel trusting only CA_FILE, then the
      python3-websockets client: text and binary messages echoed, then a close asked of the echo
      server ("close:4001:bye"). One line per check.
  forward_proxy_client.py websockets-receive PROXY_PORT HOST PORT CA_FILE
      The same tunnel and client: sends "ready", prints the echo, then prints the next message, which
      nobody but the proxy sends (an injected frame), and closes.
  forward_proxy_client.py websockets-plain PROXY_PORT HOST PORT
      CONNECT HOST:PORT through the proxy, no TLS, then the python3-websockets client on ws://HOST:PORT/chat:
      "hello through the forward proxy" echoed, then a close asked of the echo server ("close:4001:bye").
  forward_proxy_client.py websockets-refused-tunnel PROXY_PORT HOST PORT CA_FILE
      The same tunnel, and the python3-websockets client on wss://HOST:PORT/chat, expecting the proxy to
      refuse the upgrade: prints "refused STATUS".
  forward_proxy_client.py websockets-refused URL
      The python3-websockets client straight to URL (a reverse proxy), expecting a refusal: "refused STATUS".
  forward_proxy_client.py https-get-then-drop PROXY_PORT HOST PORT CA_FILE
      CONNECT HOST:PORT through the proxy, TLS inside the tunnel trusting only CA_FILE, GET /, prints the
      status line of the answer read to its end, then closes the socket without TLS's close_notify.
  forward_proxy_client.py raw PROXY_PORT HOST PORT MODE [CA_FILE]
      MODE connect-tls (CONNECT, TLS trusting only CA_FILE), connect-plain (CONNECT, no TLS) or absolute
      (GET ws://HOST:PORT/... to the proxy itself). Sends an upgrade by hand to a mirror server, prints the
      X-Request-Line and X-Host the server saw, then sends crafted frames (valid and invalid) and checks
      that exactly the same bytes come back. With WSTAP_SENT_FILE set, the frames sent are also written
      to that file.
Exits non-zero at the first failure.
"""
import asyncio
import base64
import os
import socket
import ssl
import struct
import sys


def read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(1)
        if not chunk:
            raise SystemExit("connection closed in the head: %r" % data)
        data += chunk
    return data.decode("latin-1")


def open_tunnel(proxy_port, host, port):
    sock = socket.create_connection(("127.0.0.1", proxy_port), timeout=20)
    sock.sendall(("CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (host, port, host, port)).encode())
    head = read_head(sock)
    if not head.startswith("HTTP/1.1 200"):
        raise SystemExit("CONNECT refused: " + head.splitlines()[0])
    print("tunnel", head.splitlines()[0], flush=True)
    return sock


def crafted_frames():
    """Client-to-server frames, masked: valid ones and some a strict peer would refuse."""
    frames = b""
    mask = b"\x37\xfa\x21\x3d"

    def masked(payload):
        return bytes(b ^ mask[i % 4] for i, b in enumerate(payload))

    frames += b"\x81\x85" + mask + masked(b"Hello")
    # Reserved opcode 0x3 with RSV1 and RSV3 set.
    frames += b"\xd3\x83" + mask + masked(b"odd")
    # A 5-byte binary payload with a non-minimal 64-bit length.
    frames += b"\x82\xff" + struct.pack(">Q", 5) + mask + masked(b"\x00\x01\x02\x03\x04")
    big = os.urandom(70000)
    frames += b"\x82\xff" + struct.pack(">Q", len(big)) + mask + masked(big)
    frames += b"\x88\x82" + mask + masked(struct.pack(">H", 1000))
    return frames


def raw(proxy_port, host, port, mode, ca_file=None):
    if mode == "absolute":
        sock = socket.create_connection(("127.0.0.1", proxy_port), timeout=20)
        target = "ws://%s:%d/mirror?x=1" % (host, port)
    else:
        sock = open_tunnel(proxy_port, host, port)
        target = "/mirror?x=1"
        if mode == "connect-tls":
            context = ssl.create_default_context(cafile=ca_file)
            sock = context.wrap_socket(sock, server_hostname=host)
            print("tls issuer", dict(x[0] for x in sock.getpeercert()["issuer"]).get("commonName"), flush=True)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (target, host, port, key)
        ).encode()
    )
    head = read_head(sock)
    lines = head.split("\r\n")
    if not lines[0].startswith("HTTP/1.1 101"):
        raise SystemExit("upgrade refused: " + lines[0])
    for line in lines[1:]:
        if line.lower().startswith("x-request-line:") or line.lower().startswith("x-host:"):
            print(line, flush=True)
    sent = crafted_frames()
    if os.environ.get("WSTAP_SENT_FILE"):
        with open(os.environ["WSTAP_SENT_FILE"], "wb") as dump:
            dump.write(sent)
    sock.sendall(sent)
    back = b""
    while len(back) < len(sent):
        chunk = sock.recv(65536)
        if not chunk:
            break
        back += chunk
    if back != sent:
        raise SystemExit("mirror mismatch: sent %d bytes, got %d back" % (len(sent), len(back)))
    print("mirrored %d bytes exactly" % len(sent), flush=True)
    sock.close()


async def websockets_client(proxy_port, host, port, ca_file):
    import websockets

    sock = open_tunnel(proxy_port, host, port)
    sock.setblocking(False)
    context = ssl.create_default_context(cafile=ca_file)
    async with websockets.connect(
        "wss://%s:%d/chat" % (host, port), sock=sock, ssl=context, server_hostname=host, max_size=None,
        compression=None,
    ) as ws:
        for payload in ["hello through the tunnel", os.urandom(100000)]:
            await ws.send(payload)
            reply = await ws.recv()
            if reply != payload:
                raise SystemExit("echo mismatch")
            print("echo", type(payload).__name__, len(payload), flush=True)
        await ws.send("close:4001:bye")
        await ws.wait_closed()
        print("closed", ws.close_code, ws.close_reason, flush=True)


async def websockets_receiver(proxy_port, host, port, ca_file):
    import websockets

    sock = open_tunnel(proxy_port, host, port)
    sock.setblocking(False)
    context = ssl.create_default_context(cafile=ca_file)
    async with websockets.connect(
        "wss://%s:%d/listen" % (host, port), sock=sock, ssl=context, server_hostname=host, compression=None,
    ) as ws:
        await ws.send("ready")
        print("echo", await ws.recv(), flush=True)
        print("received", await asyncio.wait_for(ws.recv(), 60), flush=True)


async def websockets_plain(proxy_port, host, port):
    import websockets

    sock = open_tunnel(proxy_port, host, port)
    sock.setblocking(False)
    async with websockets.connect("ws://%s:%d/chat" % (host, port), sock=sock, compression=None) as ws:
        await ws.send("hello through the forward proxy")
        print("echo", await ws.recv(), flush=True)
        await ws.send("close:4001:bye")
        await ws.wait_closed()
        print("closed", ws.close_code, ws.close_reason, flush=True)


def https_get_then_drop(proxy_port, host, port, ca_file):
    sock = open_tunnel(proxy_port, host, port)
    context = ssl.create_default_context(cafile=ca_file)
    tls = context.wrap_socket(sock, server_hostname=host)
    tls.sendall(("GET / HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (host, port)).encode())
    answer = b""
    while True:
        try:
            chunk = tls.recv(65536)
        except (ssl.SSLError, OSError):
            break
        if not chunk:
            break
        answer += chunk
    print(answer.decode("latin-1").split("\r\n")[0], flush=True)
    # No unwrap(): the TCP connection ends without this side's close_notify.
    tls.close()


def refusal_status(error):
    """The HTTP status of a refused upgrade, from python3-websockets' exception (old and new API)."""
    status = getattr(error, "status_code", None)
    if status is None and getattr(error, "response", None) is not None:
        status = error.response.status_code
    return status


async def websockets_refused(url, sock=None, ca_file=None, host=None):
    import websockets

    context = ssl.create_default_context(cafile=ca_file) if ca_file else None
    extra = {"sock": sock, "ssl": context, "server_hostname": host} if sock else {}
    try:
        async with websockets.connect(url, compression=None, open_timeout=30, **extra):
            raise SystemExit("the upgrade was accepted")
    except websockets.exceptions.InvalidHandshake as error:
        status = refusal_status(error)
        if status is None:
            raise SystemExit("not refused with a status: %r" % error)
        print("refused", status, flush=True)


def main():
    mode = sys.argv[1]
    if mode == "websockets":
        asyncio.run(websockets_client(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]))
    elif mode == "websockets-receive":
        asyncio.run(websockets_receiver(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]))
    elif mode == "websockets-plain":
        asyncio.run(websockets_plain(int(sys.argv[2]), sys.argv[3], int(sys.argv[4])))
    elif mode == "websockets-refused-tunnel":
        proxy_port, host, port, ca_file = int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
        sock = open_tunnel(proxy_port, host, port)
        sock.setblocking(False)
        asyncio.run(websockets_refused("wss://%s:%d/chat" % (host, port), sock, ca_file, host))
    elif mode == "websockets-refused":
        asyncio.run(websockets_refused(sys.argv[2]))
    elif mode == "https-get-then-drop":
        https_get_then_drop(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif mode == "raw":
        raw(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], *sys.argv[6:7])
    else:
        raise SystemExit("unknown mode " + mode)


main()
