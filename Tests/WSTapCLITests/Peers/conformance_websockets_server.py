"""An echo server from python3-websockets (Debian), for `wstap conformance` against it.

Prints the port it listens on (127.0.0.1, chosen by the system), then echoes every message with its type, with
no size limit, no compression (permessage-deflate with the argument --deflate) and no keepalive pings, until it is
stopped.
"""
import asyncio
import sys

import websockets


async def echo(ws, path=None):
    async for message in ws:
        await ws.send(message)


async def main():
    async with websockets.serve(
        echo, "127.0.0.1", 0, max_size=None, compression="deflate" if "--deflate" in sys.argv else None,
        ping_interval=None,  # no keepalive: a loaded machine must not make it give up on a slow test
    ) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


asyncio.run(main())
