"""A client from python3-websockets (Debian), for mock-server tests.

Usage: mock_client.py URL CAFILE STEPS_JSON
STEPS_JSON is a list of steps: "recv" waits for a message, any other string is sent as a text message.
Each message received prints a JSON line {"text": ..., "after": SECONDS}, where SECONDS is the time since
the client started connecting, or started sending its last message, whichever came later. Then it closes (1000) and
prints "closed". CAFILE ("-" for none) is the certificate to trust for wss://.
"""
import asyncio
import json
import ssl
import sys
import time

import websockets


async def main():
    url, cafile, steps = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    context = None
    if url.startswith("wss:"):
        context = ssl.create_default_context(cafile=None if cafile == "-" else cafile)
    # Marks are taken before the bytes leave, so "after" is never less than the server's own delay.
    mark = time.monotonic()
    async with websockets.connect(url, ssl=context, compression=None, ping_interval=None) as ws:
        for step in steps:
            if step == "recv":
                message = await ws.recv()
                print(json.dumps({"text": message, "after": time.monotonic() - mark}), flush=True)
            else:
                mark = time.monotonic()
                await ws.send(step)
    print("closed", flush=True)


asyncio.run(main())
