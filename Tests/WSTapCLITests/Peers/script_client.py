"""A python3-websockets (Debian) client for the `wstap proxy --script` tests, with permessage-deflate as
websockets agrees it by default.

Usage:
  script_client.py PORT MESSAGE...
      sends every message, then "end", and prints "recv: MESSAGE" (binary: "recv: hex:...") for each message
      it gets until the echo of "end"; then "done" after a normal close, or "closed CODE REASON" when the
      connection closes before
"""
import asyncio
import sys

import websockets


def show(message):
    return "hex:" + message.hex() if isinstance(message, bytes) else message


async def main(port, messages):
    async with websockets.connect("ws://127.0.0.1:%d/" % port, ping_interval=None) as ws:
        try:
            for message in messages + ["end"]:
                await ws.send(message)
            while True:
                message = await ws.recv()
                print("recv: %s" % show(message), flush=True)
                if message == "end":
                    break
        except websockets.exceptions.ConnectionClosed as closed:
            print("closed %s %s" % (closed.rcvd.code if closed.rcvd else None,
                                    closed.rcvd.reason if closed.rcvd else ""), flush=True)
            return
    print("done", flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2:]))
