"""python3-websockets (Debian) on both ends of a proxy that rewrites messages, with permessage-deflate as
websockets agrees it by default (context takeover both ways): every message refers back to the ones before.

Usage:
  rewrite_peer.py serve               prints its port; prints "got: MESSAGE" for each message and echoes it
  rewrite_peer.py send PORT MESSAGE...
                                      sends each message and waits for its echo, printing "echo: MESSAGE";
                                      prints "extensions: ..." first and "done" after a normal close; on a
                                      close with an error, prints "closed CODE REASON" and exits 1
"""
import asyncio
import sys

import websockets


async def echo(ws, path=None):
    async for message in ws:
        print("got: %s" % message, flush=True)
        await ws.send(message)


async def serve():
    async with websockets.serve(echo, "127.0.0.1", 0, ping_interval=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.sleep(600)


async def send(port, messages):
    try:
        async with websockets.connect("ws://127.0.0.1:%d/" % port, ping_interval=None) as ws:
            print("extensions: %s" % ws.response_headers.get("Sec-WebSocket-Extensions"), flush=True)
            for message in messages:
                await ws.send(message)
                print("echo: %s" % await ws.recv(), flush=True)
        print("done", flush=True)
    except websockets.exceptions.ConnectionClosed as closed:
        print("closed %s %s" % (closed.code, closed.reason), flush=True)
        sys.exit(1)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        asyncio.run(serve())
    else:
        asyncio.run(send(int(sys.argv[2]), sys.argv[3:]))
