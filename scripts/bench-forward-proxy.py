#!/usr/bin/python3
"""Relay throughput of the forward proxy, against a plain TCP relay and a direct connection, in one run.

Usage: scripts/bench-forward-proxy.py [WSTAP_BINARY] [--rounds N]
       (default binary: .build/release/wstap; build it with swift build -c release --product wstap)

Everything runs on 127.0.0.1: a sink server (Python threads, no frame parsing) that answers a WebSocket
upgrade, reads an announced number of bytes, then sends one small frame back; a client that sends
pre-built masked binary frames with sendall (no per-frame Python work). Paths measured, each the best of
N rounds (default 3):
  direct                     client -> sink
  plain TCP relay            client -> wstap forward proxy, CONNECT to a --pass-through host (bytes
                             relayed by a byte-for-byte NIO relay, nothing decoded) -> sink
  tapped (ws in CONNECT)     client -> wstap forward proxy, CONNECT, ws:// upgrade inside: every frame
                             decoded by the tap (-q: nothing printed) -> sink
  TLS pass-through           the same as the plain TCP relay with TLS end to end
  TLS intercepted + tapped   TLS terminated by wstap with a certificate from its CA, frames decoded,
                             TLS again to the sink
Workloads: 1 MiB frames (256 MiB per round, MB/s = 10^6 bytes/s) and 16-byte frames (1,000,000 per
round, frames/s). The proxies are started by this script with -q and stopped at the end.
"""
import base64
import os
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

MASK = b"\x37\xfa\x21\x3d"


def frame(payload):
    """A masked binary client frame (minimal length encoding)."""
    n = len(payload)
    if n < 126:
        head = bytes([0x82, 0x80 | n])
    elif n < 65536:
        head = bytes([0x82, 0x80 | 126]) + struct.pack(">H", n)
    else:
        head = bytes([0x82, 0x80 | 127]) + struct.pack(">Q", n)
    mask = (MASK * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(mask, "big")).to_bytes(n, "big") if n else b""
    return head + MASK + masked


def read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(1)
        if not chunk:
            raise RuntimeError("closed in head: %r" % data)
        data += chunk
    return data.decode("latin-1")


class Sink:
    """Answers an upgrade, reads X-Bench-Bytes bytes, replies with one frame, closes."""

    def __init__(self, context=None):
        self.context = context
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while True:
            conn, _ = self.listener.accept()
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        try:
            if self.context:
                conn = self.context.wrap_socket(conn, server_side=True)
            head = read_head(conn)
            expected = int([l for l in head.split("\r\n") if l.lower().startswith("x-bench-bytes:")][0].split(":")[1])
            conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Accept: x\r\n\r\n")
            got = 0
            buffer = bytearray(1 << 20)
            while got < expected:
                n = conn.recv_into(buffer)
                if n == 0:
                    break
                got += n
            conn.sendall(b"\x82\x04done")
        finally:
            conn.close()


def start_proxy(binary, extra):
    ca_dir = tempfile.mkdtemp(prefix="wstap-bench-ca-")
    process = subprocess.Popen([binary, "proxy", "--listen", "127.0.0.1:0", "-q", "--ca-dir", ca_dir] + extra,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    # -q prints nothing, the banner included: listening_port() finds the port.
    return process, ca_dir


def listening_port(pid):
    """The TCP port a process listens on (from /proc/net/tcp and its open sockets)."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:
                return int(fields[1].split(":")[1], 16)
    return None


def run_once(proxy_port, host, port, connect, tls_context, data_frames, total_bytes):
    if proxy_port is None:
        sock = socket.create_connection((host, port))
    else:
        sock = socket.create_connection(("127.0.0.1", proxy_port))
        if connect:
            sock.sendall(("CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (host, port, host, port)).encode())
            head = read_head(sock)
            assert head.startswith("HTTP/1.1 200"), head
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if tls_context:
        sock = tls_context.wrap_socket(sock, server_hostname=host)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(("GET /bench HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nX-Bench-Bytes: %d\r\n\r\n"
                  % (host, port, key, total_bytes)).encode())
    head = read_head(sock)
    assert head.startswith("HTTP/1.1 101"), head
    start = time.perf_counter()
    for chunk in data_frames:
        sock.sendall(chunk)
    reply = b""
    while len(reply) < 6:
        part = sock.recv(64)
        if not part:
            break
        reply += part
    elapsed = time.perf_counter() - start
    sock.close()
    assert reply == b"\x82\x04done", reply
    return elapsed


def main():
    args = sys.argv[1:]
    rounds = 3
    if "--rounds" in args:
        i = args.index("--rounds")
        rounds = int(args[i + 1])
        del args[i:i + 2]
    binary = args[0] if args else ".build/release/wstap"

    workdir = tempfile.mkdtemp(prefix="wstap-bench-")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", workdir + "/key.pem", "-out", workdir + "/cert.pem", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True)
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(workdir + "/cert.pem", workdir + "/key.pem")
    plain_sink = Sink()
    tls_sink = Sink(server_tls)

    # One proxy that passes everything through (plain TCP relay), one that taps (trusting the sink's cert).
    relay, relay_ca = start_proxy(binary, ["--pass-through", "*"])
    tapper, tapper_ca = start_proxy(binary, ["--upstream-ca", workdir + "/cert.pem"])
    try:
        relay_port = tapper_port = None
        for _ in range(200):
            relay_port = relay_port or listening_port(relay.pid)
            tapper_port = tapper_port or listening_port(tapper.pid)
            if relay_port and tapper_port:
                break
            time.sleep(0.05)
        assert relay_port and tapper_port, "proxies did not start"
        direct_tls = ssl.create_default_context(cafile=workdir + "/cert.pem")
        intercepted_tls = ssl.create_default_context(cafile=tapper_ca + "/wstap-ca.pem")

        big = frame(os.urandom(1 << 20))
        small = frame(os.urandom(16)) * 1_000_000
        workloads = [
            ("1 MiB frames", [big] * 256, 256 * len(big), lambda t: "%8.0f MB/s" % (256 * (1 << 20) / t / 1e6)),
            ("16 B frames", [small], len(small), lambda t: "%8.0f kframes/s" % (1_000_000 / t / 1e3)),
        ]
        paths = [
            ("direct", None, "127.0.0.1", plain_sink.port, False, None),
            ("plain TCP relay (pass-through)", relay_port, "127.0.0.1", plain_sink.port, True, None),
            ("tapped (ws in CONNECT)", tapper_port, "127.0.0.1", plain_sink.port, True, None),
            ("TLS direct", None, "localhost", tls_sink.port, False, direct_tls),
            ("TLS pass-through", relay_port, "localhost", tls_sink.port, True, direct_tls),
            ("TLS intercepted + tapped", tapper_port, "localhost", tls_sink.port, True, intercepted_tls),
        ]
        print("%-32s %-14s %s" % ("path", "workload", "best of %d" % rounds))
        for name, data, total, show in workloads:
            for label, proxy_port, host, port, connect, context in paths:
                best = min(run_once(proxy_port, host, port, connect, context, data, total) for _ in range(rounds))
                print("%-32s %-14s %s" % (label, name, show(best)), flush=True)
    finally:
        for process in (relay, tapper):
            process.terminate()
            process.wait()


main()
