"""A python3-websockets (Debian) server that answers each connection with what its opening handshake asked
for, then echoes: for the tests of `wstap connect`'s curl flags.

Listens on 127.0.0.1 (ports chosen by the system), plain and, given a certificate and key, with TLS too;
prints `PLAIN_PORT TLS_PORT` (TLS_PORT 0 without TLS). The first message on every connection is JSON:
{"path": ..., "headers": [[name, value], ...] in the order received, "extensions": [names agreed],
"subprotocol": name or null}; every message after it comes back unchanged.
"""
import asyncio
import json
import ssl
import sys

import websockets


async def report(ws, path=None):
    await ws.send(json.dumps({
        "path": ws.path,
        "headers": [[name, value] for name, value in ws.request_headers.raw_items()],
        "extensions": [extension.name for extension in ws.extensions],
        "subprotocol": ws.subprotocol,
    }))
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    options = dict(subprotocols=["graphql-transport-ws"], ping_interval=None)
    plain = await websockets.serve(report, "127.0.0.1", 0, **options)
    tls_port = 0
    if len(sys.argv) == 3:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        secure = await websockets.serve(report, "127.0.0.1", 0, ssl=context, **options)
        tls_port = secure.sockets[0].getsockname()[1]
    print(plain.sockets[0].getsockname()[1], tls_port, flush=True)
    await asyncio.sleep(300)


asyncio.run(main())
