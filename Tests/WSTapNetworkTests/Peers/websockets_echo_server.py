"""An echo server from python3-websockets (Debian), for interop tests.

Prints the port it listens on (127.0.0.1, chosen by the system), then echoes every message with its
type. A text message "close:CODE:REASON" makes it close with that code and reason instead.
"""
import asyncio
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
    async with websockets.serve(
        echo, "127.0.0.1", 0, max_size=None, subprotocols=["chat", "superchat"], compression=None
    ) as server:
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        await asyncio.sleep(120)


asyncio.run(main())
