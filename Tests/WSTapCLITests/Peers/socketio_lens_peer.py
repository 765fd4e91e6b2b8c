"""python-socketio peers for the lens tests (from the test venv, .venv-test/, that scripts/test.sh makes).

Usage:
  socketio_lens_peer.py server
      An aiohttp Socket.IO server on 127.0.0.1 (a free port, printed first), any origin allowed (the
      client comes through a reverse proxy). "add" is acknowledged with the sum of its arguments, "join"
      in the namespace /chat with "joined <room>", "upload" (binary) with the length of its bytes; "chat"
      is answered by a "chat" event back.
  socketio_lens_peer.py client URL
      python-socketio's synchronous client, WebSocket transport only: connects to URL and /chat, emits
      "chat" {"m": "hi"}, calls "add" 1 2, "join" "room1" in /chat and "upload" with bytes, prints each
      answer ("add 3", ...), waits for the "chat" event back, disconnects.
"""
import asyncio
import sys
import threading


async def server():
    import socketio
    from aiohttp import web

    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*", logger=False, engineio_logger=False)
    app = web.Application()
    sio.attach(app)

    @sio.on("add")
    async def add(sid, a, b):
        return a + b

    @sio.on("chat")
    async def chat(sid, data):
        await sio.emit("chat", {"echo": data}, to=sid)

    @sio.on("upload")
    async def upload(sid, data):
        return len(data["bytes"])

    @sio.on("join", namespace="/chat")
    async def join(sid, room):
        return "joined " + room

    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(site._server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


def client(url):
    import socketio

    sio = socketio.Client(reconnection=False)
    echoed = threading.Event()
    sio.on("chat", lambda data: echoed.set())
    try:
        sio.connect(url, transports=["websocket"], namespaces=["/", "/chat"], wait_timeout=60)
    except Exception as error:
        print("cannot connect: %r" % error, flush=True)
        sys.exit(1)
    sio.emit("chat", {"m": "hi"})
    print("add", sio.call("add", (1, 2), timeout=60), flush=True)
    print("join", sio.call("join", "room1", namespace="/chat", timeout=60), flush=True)
    print("upload", sio.call("upload", {"name": "a.bin", "bytes": b"\x00\x01\x02\xff"}, timeout=60), flush=True)
    print("chat echoed", echoed.wait(60), flush=True)
    sio.disconnect()


def main():
    if sys.argv[1] == "server":
        asyncio.run(server())
    elif sys.argv[1] == "client":
        client(sys.argv[2])
    else:
        raise SystemExit("unknown mode " + sys.argv[1])


main()
