"""A python3-websockets client (Debian) that sends some text messages, then prints every message it
receives until the connection closes, then the close code and reason.

Usage: websockets_listening_client.py URL MESSAGE...
Prints "got TEXT" per message received and finally "closed CODE REASON".
"""
import asyncio
import sys

import websockets


async def main(url, messages):
    # No keepalive: while wstap holds a frame, the ping behind it gets no pong, and the client must not
    # give up on the connection for that.
    async with websockets.connect(url, compression=None, ping_interval=None) as ws:
        print("open", flush=True)
        for message in messages:
            await ws.send(message)
        try:
            async for message in ws:
                print("got", message, flush=True)
        except websockets.ConnectionClosed:
            pass
        print("closed", ws.close_code, ws.close_reason, flush=True)


asyncio.run(main(sys.argv[1], sys.argv[2:]))
