"""A python3-websockets server (Debian) that tells which data frames it receives, for tests of how our
client fragments what it sends.

Usage: websockets_frame_logger.py
Prints the port it listens on (127.0.0.1, chosen by the system), then one line per data frame received,
"frame OPCODE fin=0|1 LENGTH" (OPCODE: text, binary or cont), and one line per whole message,
"message text|binary LENGTH", which it echoes back. It serves until the client closes, then prints
"closed CODE REASON" and exits.
"""
import asyncio
import sys

import websockets
from websockets.frames import OP_BINARY, OP_CONT, OP_TEXT
from websockets.legacy.server import WebSocketServerProtocol

NAMES = {OP_TEXT: "text", OP_BINARY: "binary", OP_CONT: "cont"}


class FrameLoggingProtocol(WebSocketServerProtocol):
    async def read_frame(self, max_size):
        frame = await super().read_frame(max_size)
        if frame.opcode in NAMES:
            print("frame", NAMES[frame.opcode], f"fin={int(frame.fin)}", len(frame.data), flush=True)
        return frame


async def main():
    done = asyncio.get_running_loop().create_future()

    async def handler(ws, path=None):
        try:
            async for message in ws:
                kind = "text" if isinstance(message, str) else "binary"
                size = len(message.encode()) if kind == "text" else len(message)
                print("message", kind, size, flush=True)
                await ws.send(message)
        except websockets.ConnectionClosed:
            pass
        print("closed", ws.close_code, ws.close_reason, flush=True)
        done.set_result(None)

    async with websockets.serve(
        handler, "127.0.0.1", 0, max_size=None, compression=None, create_protocol=FrameLoggingProtocol
    ) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.wait_for(done, 120)


asyncio.run(main())
