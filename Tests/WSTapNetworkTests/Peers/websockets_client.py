"""A client from python3-websockets (Debian), for interop tests against a wstap server.

Usage: websockets_client.py URL [CA_FILE] (a CA file to trust for wss). Sends messages of several sizes and types (one fragmented), checks
that each comes back unchanged, pings, then closes with 4001 "bye". Prints one line per check and
exits non-zero at the first failure.
"""
import asyncio
import os
import ssl
import sys

import websockets


async def main(url, ca_file=None):
    context = ssl.create_default_context(cafile=ca_file) if ca_file else None
    async with websockets.connect(
        url, max_size=None, subprotocols=["superchat"], compression=None, ssl=context
    ) as ws:
        print("subprotocol", ws.subprotocol, flush=True)
        for size in [0, 125, 126, 65535, 65536, 16 * 1024 * 1024]:
            for kind in ["text", "binary"]:
                payload = ("é" * (size // 2) + "a" * (size % 2)) if kind == "text" else os.urandom(size)
                await ws.send(payload)
                reply = await ws.recv()
                if reply != payload:
                    print("mismatch", kind, size, flush=True)
                    sys.exit(1)
                print("echo", kind, size, flush=True)
        await ws.send(["frag", "ment", "ed"])
        reply = await ws.recv()
        if reply != "fragmented":
            print("mismatch fragmented", repr(reply)[:80], flush=True)
            sys.exit(1)
        print("echo fragmented", flush=True)
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 5)
        print("pong", flush=True)
        await ws.close(4001, "bye")
        print("closed", ws.close_code, ws.close_reason, flush=True)


asyncio.run(main(*sys.argv[1:3]))
