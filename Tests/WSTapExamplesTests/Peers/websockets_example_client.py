"""A client from python3-websockets (Debian) for the examples' server programs.

Usage: websockets_example_client.py URL [--subprotocol P] [--request-header NAME:VALUE]
       [--show-header NAME] [--send TEXT]... [--receive N]
Asks for the subprotocols given, sends the request headers given, prints "subprotocol P" (None when none
was agreed) and "header NAME VALUE" for each response header asked for, sends the messages, then prints
"got TEXT" per message received. With --receive N it closes (1000) after N messages; otherwise it waits
for the server to close. Prints "closed CODE REASON" at the end, or "rejected STATUS" when the server
refuses the handshake.
"""
import argparse
import asyncio

import websockets


async def main(args):
    headers = [tuple(h.split(":", 1)) for h in args.request_header]
    try:
        ws = await websockets.connect(
            args.url, subprotocols=args.subprotocol or None, extra_headers=headers, compression=None
        )
    except websockets.InvalidStatusCode as error:
        print("rejected", error.status_code, flush=True)
        return
    print("subprotocol", ws.subprotocol, flush=True)
    for name in args.show_header:
        print("header", name, ws.response_headers.get(name), flush=True)
    for text in args.send:
        await ws.send(text)
    received = 0
    try:
        while args.receive is None or received < args.receive:
            print("got", await ws.recv(), flush=True)
            received += 1
        await ws.close()
    except websockets.ConnectionClosed:
        pass
    print("closed", ws.close_code, ws.close_reason, flush=True)


parser = argparse.ArgumentParser()
parser.add_argument("url")
parser.add_argument("--subprotocol", action="append", default=[])
parser.add_argument("--request-header", action="append", default=[])
parser.add_argument("--show-header", action="append", default=[])
parser.add_argument("--send", action="append", default=[])
parser.add_argument("--receive", type=int)
asyncio.run(main(parser.parse_args()))
