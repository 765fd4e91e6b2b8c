"""python-socketio peers (from the test venv, .venv-test/, that scripts/test.sh makes), for proxy tests.

Usage:
  socketio_peer.py server
      An aiohttp Socket.IO server on 127.0.0.1 (a free port, printed first) with python-socketio's default
      origin check (same origin only). An "echo" event is acknowledged with its data; every request's
      Host and Origin are printed as "seen Host=... Origin=...".
  socketio_peer.py client URL
      python-socketio's (synchronous) client, WebSocket transport only: connects to URL, sends "echo" with
      "hello through wstap", prints "ack <data>", disconnects. Exits 1 with the error when it cannot.
"""
import asyncio
import sys


async def server():
    import socketio
    from aiohttp import web

    sio = socketio.AsyncServer(async_mode="aiohttp", logger=False, engineio_logger=False)

    @web.middleware
    async def show_headers(request, handler):
        print("seen Host=%s Origin=%s" % (request.headers.get("Host"), request.headers.get("Origin")), flush=True)
        return await handler(request)

    app = web.Application(middlewares=[show_headers])
    sio.attach(app)

    @sio.on("echo")
    async def echo(sid, data):
        return data

    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(site._server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


def client(url):
    import socketio

    # The synchronous client: its WebSocket transport (websocket-client) sends Origin: http://<host it
    # connects to>, as browsers do.
    sio = socketio.Client(reconnection=False)
    try:
        sio.connect(url, transports=["websocket"], wait_timeout=60)
    except Exception as error:
        print("cannot connect: %r" % error, flush=True)
        sys.exit(1)
    reply = sio.call("echo", "hello through wstap", timeout=20)
    print("ack", reply, flush=True)
    sio.disconnect()


def main():
    if sys.argv[1] == "server":
        asyncio.run(server())
    elif sys.argv[1] == "client":
        client(sys.argv[2])
    else:
        raise SystemExit("unknown mode " + sys.argv[1])


main()
