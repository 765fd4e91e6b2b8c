"""An echo client from python3-websockets (Debian), for `wstap conformance --listen` against it.

Usage: conformance_websockets_client.py URL. Connects to URL again and again, echoing every message with its
type (no size limit, no compression, no keepalive pings), until the connection is refused: the run is over.
"""
import asyncio
import sys

import websockets


async def main(url):
    while True:
        try:
            async with websockets.connect(
                url, max_size=None, compression=None, ping_interval=None, open_timeout=60
            ) as ws:
                async for message in ws:
                    await ws.send(message)
        except OSError:
            return  # refused: wstap stopped listening
        except Exception:
            pass  # the case failed the connection: on to the next


asyncio.run(main(sys.argv[1]))
