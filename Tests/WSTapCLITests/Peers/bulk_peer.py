"""Bulk traffic through the proxy, with python3-websockets (Debian), for the recording backpressure test.

Usage:
  bulk_peer.py serve                    prints its port; counts the messages of each connection, and answers
                                        the text message "end" with "got COUNT"
  bulk_peer.py send PORT COUNT SIZE     sends COUNT binary messages of SIZE bytes (see payload()), then "end";
                                        prints "done COUNT" once the server answered
  bulk_peer.py probe PORT               opens a connection (the handshake only), prints "open" and leaves;
                                        "timeout" if the handshake took 60 s (only a hung proxy takes that long)
"""
import asyncio
import os
import sys

import websockets

PATTERN = bytes(range(251)) * 300


def payload(index, size):
    """Message INDEX: its number in 8 digits, then bytes counting from INDEX mod 251."""
    start = index % 251
    return b"%08d" % index + PATTERN[start : start + size - 8]


async def count(ws, path=None):
    received = 0
    async for message in ws:
        if message == "end":
            await ws.send("got %d" % received)
        else:
            received += 1


async def serve():
    async with websockets.serve(
        count, "127.0.0.1", 0, max_size=None, compression=None, ping_interval=None
    ) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.sleep(300)


async def send(port, total, size):
    uri = "ws://127.0.0.1:%d/bulk" % port
    async with websockets.connect(uri, max_size=None, compression=None, ping_interval=None) as ws:
        for index in range(total):
            await ws.send(payload(index, size))
        await ws.send("end")
        print("done", (await ws.recv()).split()[1], flush=True)


async def probe(port):
    uri = "ws://127.0.0.1:%d/probe" % port
    try:
        await asyncio.wait_for(websockets.connect(uri, compression=None, ping_interval=None), 60)
    except asyncio.TimeoutError:
        print("timeout", flush=True)
        os._exit(1)
    print("open", flush=True)
    # Leave without a closing handshake: the proxy may not be reading this connection now.
    os._exit(0)


mode = sys.argv[1]
if mode == "serve":
    asyncio.run(serve())
elif mode == "send":
    asyncio.run(send(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
elif mode == "probe":
    asyncio.run(probe(int(sys.argv[2])))
