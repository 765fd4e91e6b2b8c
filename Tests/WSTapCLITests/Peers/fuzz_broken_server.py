"""A deliberately broken echo server (python3-websockets) for `wstap fuzz` to find a crash in.

Usage: fuzz_broken_server.py PORT [--fixed]. Listens on 127.0.0.1:PORT (0: a port the system picks), prints the
port, and echoes every message; a text message
that holds a NUL character makes the whole process exit with status 3 (the planted bug), unless --fixed is given,
when it is echoed like any other.
"""
import asyncio
import os
import sys

import websockets

FIXED = "--fixed" in sys.argv[2:]


async def echo(ws, path=None):
    async for message in ws:
        if isinstance(message, str) and "\x00" in message and not FIXED:
            print("planted bug: a NUL in a text message", file=sys.stderr, flush=True)
            os._exit(3)
        await ws.send(message)


async def main():
    async with websockets.serve(echo, "127.0.0.1", int(sys.argv[1]), max_size=None, ping_interval=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


asyncio.run(main())
