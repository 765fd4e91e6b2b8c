"""An echo server from python3-websockets (Debian), for interop tests.

Usage: websockets_echo_server.py [CERT KEY] (with a certificate and key: wss).
Prints the port it listens on (127.0.0.1, chosen by the system), then echoes every message with its
type. A text message "close:CODE:REASON" makes it close with that code and reason instead.
"""
import asyncio
import ssl
import sys

import websockets


async def echo(ws, path=None):
    async for message in ws:
        if isinstance(message, str) and message.startswith("close:"):
            _, code, reason = message.split(":", 2)
            await ws.close(int(code), reason)
            return
        await ws.send(message)


async def main():
    context = None
    if len(sys.argv) == 3:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
    async with websockets.serve(
        echo, "127.0.0.1", 0, max_size=None, subprotocols=["chat", "superchat"], compression=None, ssl=context,
        ping_interval=None,  # no keepalive: a loaded machine must not make it give up on a slow test
    ) as server:
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        await asyncio.sleep(120)


asyncio.run(main())
