"""A python websockets client that sends one text message (argv[2]) to URL (argv[1]), reads one message
back, then keeps the connection open and silent for argv[3] seconds before closing with 1000: a request
whose answer never comes, on a connection with no other traffic."""
import asyncio
import sys


async def main():
    import websockets

    async with websockets.connect(sys.argv[1], ping_interval=None, open_timeout=60) as socket:
        await socket.send(sys.argv[2])
        await asyncio.wait_for(socket.recv(), 60)
        print("sent", flush=True)
        await asyncio.sleep(float(sys.argv[3]))


asyncio.run(main())
