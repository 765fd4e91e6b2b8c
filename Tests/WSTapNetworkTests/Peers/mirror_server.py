"""A raw HTTP and WebSocket peer for proxy tests (Python's standard library only).

Usage: mirror_server.py [CERT KEY] (with a certificate and key: TLS). Prints the port it listens on
(127.0.0.1, chosen by the system). For each connection it reads one request head:
- a WebSocket upgrade (Sec-WebSocket-Key) is answered 101, with X-Request-Line and X-Host headers telling
  what arrived; from then on every byte received is sent back unchanged (a mirror, not an echo server:
  no frame is parsed), so a client can check that a proxy relays bytes exactly both ways;
- any other request is answered 200 with a text body "REQUEST-LINE\nHost: HOST\n" and the connection closes.
"""
import base64
import hashlib
import socket
import ssl
import sys
import threading

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def serve(conn):
    try:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk:
                return
            head += chunk
        head, _, rest = head.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        host = headers.get("host", "")
        if "sec-websocket-key" in headers:
            accept = base64.b64encode(hashlib.sha1(headers["sec-websocket-key"].encode() + GUID).digest())
            conn.sendall(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + b"Sec-WebSocket-Accept: " + accept + b"\r\n"
                + b"X-Request-Line: " + lines[0].encode("latin-1") + b"\r\n"
                + b"X-Host: " + host.encode("latin-1") + b"\r\n\r\n"
            )
            if rest:
                conn.sendall(rest)
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                conn.sendall(chunk)
        else:
            body = (lines[0] + "\nHost: " + host + "\n").encode("latin-1")
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
            )
    except (OSError, ssl.SSLError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    context = None
    if len(sys.argv) == 3:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(120)
    print(listener.getsockname()[1], flush=True)
    while True:
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            return
        if context is not None:
            try:
                conn.settimeout(20)
                conn = context.wrap_socket(conn, server_side=True)
                conn.settimeout(None)
            except (OSError, ssl.SSLError):
                conn.close()
                continue
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


main()
