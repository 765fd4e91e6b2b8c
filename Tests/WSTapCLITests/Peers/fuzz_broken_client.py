"""A deliberately broken echo client (python3-websockets) for `wstap fuzz --as-server` to find a crash in.

Usage: fuzz_broken_client.py URL [--fixed]. Connects to URL again and again, echoing every message; a text message
that holds a NUL character makes the whole process exit with status 3 (the planted bug), unless --fixed is given.
Exits 0 once the connection is refused (the fuzzer stopped listening).
"""
import asyncio
import os
import sys

import websockets

FIXED = "--fixed" in sys.argv[2:]


async def main():
    while True:
        try:
            async with websockets.connect(
                sys.argv[1], max_size=None, compression=None, ping_interval=None, open_timeout=60,
                close_timeout=0.5,  # it waits that long twice for the end of a failed connection
            ) as ws:
                async for message in ws:
                    if isinstance(message, str) and "\x00" in message and not FIXED:
                        print("planted bug: a NUL in a text message", file=sys.stderr, flush=True)
                        os._exit(3)
                    await ws.send(message)
        except ConnectionRefusedError:
            return
        except Exception:
            pass


asyncio.run(main())
