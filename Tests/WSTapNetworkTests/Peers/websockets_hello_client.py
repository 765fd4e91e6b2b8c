"""A python3-websockets client for the manual's hello-world server: it receives one message, then closes
and prints what came back. It waits up to 20 s for the server's answer to its close.

Usage: websockets_hello_client.py URL
Prints "received TEXT", then "closed CODE" (the code in the server's close frame; 1006 when none came).
"""
import asyncio
import sys

import websockets


async def main():
    async with websockets.connect(sys.argv[1], close_timeout=20) as ws:
        print("received", await ws.recv(), flush=True)
        await ws.close()
        print("closed", ws.close_code, flush=True)


asyncio.run(main())
