"""A python3-websockets server that refuses every client whose Origin is not http://allowed.example
(403 with a text body saying why). Prints its port (127.0.0.1, chosen by the system)."""
import asyncio

import websockets


async def greet(ws, path=None):
    await ws.send("allowed")


async def main():
    async with websockets.serve(greet, "127.0.0.1", 0, origins=["http://allowed.example"]) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.sleep(120)


asyncio.run(main())
