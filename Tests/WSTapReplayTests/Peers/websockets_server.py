"""A server from python3-websockets (Debian), for replay tests.

Usage: websockets_server.py echo|upper
Prints the port it listens on (127.0.0.1, chosen by the system), then answers every message: `echo`
sends it back unchanged, `upper` sends text back in upper case (binary unchanged), so a replay checked
against a recording of the echo server finds differences.
"""
import asyncio
import sys

import websockets

MODE = sys.argv[1] if len(sys.argv) > 1 else "echo"


async def answer(ws, path=None):
    async for message in ws:
        if MODE == "upper" and isinstance(message, str):
            message = message.upper()
        await ws.send(message)


async def main():
    async with websockets.serve(
        answer, "127.0.0.1", 0, max_size=None, subprotocols=["chat"], compression=None
    ) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.sleep(900)


asyncio.run(main())
