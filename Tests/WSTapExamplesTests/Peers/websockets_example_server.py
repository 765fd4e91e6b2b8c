"""An echo server from python3-websockets (Debian) for the examples' client programs: it tells what it
receives, frame by frame.

Usage: websockets_example_server.py
Prints the port it listens on (127.0.0.1, chosen by the system), then for its one connection:
"open PATH", "header X-Example VALUE" when the request has that header, one line per data frame received
("frame OPCODE fin=0|1 LENGTH", OPCODE text, binary or cont), and "message text|binary LENGTH" per
message, which it echoes back (in fragments of at most 16384 bytes when longer); at the end
"closed CODE REASON" (what the client's close frame said), and it exits.
"""
import asyncio

import websockets
from websockets.frames import OP_BINARY, OP_CONT, OP_TEXT
from websockets.legacy.server import WebSocketServerProtocol

NAMES = {OP_TEXT: "text", OP_BINARY: "binary", OP_CONT: "cont"}
PIECE = 16384


class FrameLoggingProtocol(WebSocketServerProtocol):
    async def read_frame(self, max_size):
        frame = await super().read_frame(max_size)
        if frame.opcode in NAMES:
            print("frame", NAMES[frame.opcode], f"fin={int(frame.fin)}", len(frame.data), flush=True)
        return frame


async def main():
    done = asyncio.get_running_loop().create_future()

    async def handler(ws, path):
        print("open", path, flush=True)
        if "X-Example" in ws.request_headers:
            print("header X-Example", ws.request_headers["X-Example"], flush=True)
        try:
            async for message in ws:
                kind = "text" if isinstance(message, str) else "binary"
                size = len(message.encode()) if kind == "text" else len(message)
                print("message", kind, size, flush=True)
                if len(message) > PIECE:
                    await ws.send([message[i : i + PIECE] for i in range(0, len(message), PIECE)])
                else:
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
