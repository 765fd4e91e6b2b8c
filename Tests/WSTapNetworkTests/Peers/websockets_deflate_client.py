"""A python3-websockets client with permessage-deflate on (its default), for interop tests.

Usage: websockets_deflate_client.py URL. Sends repetitive and random messages, checks the echoes,
prints the negotiated extensions, closes with 1000.
"""
import asyncio
import os
import sys

import websockets


async def main(url):
    async with websockets.connect(url, max_size=None) as ws:
        print("extensions", ",".join(type(e).__name__ for e in ws.extensions), flush=True)
        for payload in ["hello " * 5000, "é" * 40000, os.urandom(70000), b"\x00" * 100000, ""]:
            await ws.send(payload)
            if await ws.recv() != payload:
                print("mismatch", type(payload).__name__, len(payload), flush=True)
                sys.exit(1)
            print("echo", type(payload).__name__, len(payload), flush=True)
        await ws.close()


asyncio.run(main(sys.argv[1]))
