"""A python3-websockets (Debian) echo server that tells how each connection closed, for the tests of
`wstap connect`'s closes.

Prints the port it listens on (127.0.0.1, chosen by the system), then echoes every message. A text
message "close:CODE:REASON" makes it close with that code and reason. When a connection ends it prints
`closed code=CODE reason=REASON` with the close frame the client sent (`code=none` without one).
"""
import asyncio

import websockets


async def serve(ws, path=None):
    try:
        async for message in ws:
            if isinstance(message, str) and message.startswith("close:"):
                _, code, reason = message.split(":", 2)
                await ws.close(int(code), reason)
                break
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    await ws.wait_closed()
    received = ws.close_rcvd
    if received is None:
        print("closed code=none", flush=True)
    else:
        print(f"closed code={received.code} reason={received.reason}", flush=True)


async def main():
    async with websockets.serve(serve, "127.0.0.1", 0, compression=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.sleep(120)


asyncio.run(main())
