"""A python3-websockets (Debian) server that a test stops and starts again on the same port, for
`wstap connect --reconnect --preamble`.

Listens on 127.0.0.1, on the port given (or one the system chooses), and prints the port. Prints
`open` for every connection and `got TEXT` for every text message, in order. `login ...` is answered
with `welcome` half a second later, while the next messages are read (so that a client that does not
wait for it sends on before it);
`subscribe ...` is printed as `got subscribe ... (after welcome)` or `(before welcome)`; other messages
are echoed.
"""
import asyncio
import sys

import websockets


async def serve(ws, path=None):
    print("open", flush=True)
    welcomed = False

    async def welcome():
        nonlocal welcomed
        await asyncio.sleep(0.5)
        welcomed = True
        await ws.send("welcome")

    answers = []
    try:
        async for message in ws:
            if message.startswith("subscribe"):
                print(f"got {message} ({'after' if welcomed else 'before'} welcome)", flush=True)
                continue
            print(f"got {message}", flush=True)
            if message.startswith("login"):
                answers.append(asyncio.ensure_future(welcome()))
            else:
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    async with websockets.serve(serve, "127.0.0.1", port, ping_interval=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


asyncio.run(main())
