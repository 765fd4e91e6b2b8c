"""MQTT over WebSocket peers for the lens tests (from the test venv, .venv-test/, that scripts/test.sh makes).

Usage:
  mqtt_lens_peer.py broker
      amqtt's broker with one listener of type ws on 127.0.0.1 (a free port, printed first once it
      listens), anonymous clients allowed.
  mqtt_lens_peer.py client PORT
      paho-mqtt's client (MQTT 3.1.1, transport websockets, subprotocol mqtt) to ws://127.0.0.1:PORT/mqtt:
      connects, subscribes to sensors/# with QoS 1, publishes {"t": 21.5} to sensors/t1 with QoS 1 and
      waits for its PUBACK, waits for its own message back, unsubscribes, disconnects. Prints "got <payload>".
"""
import asyncio
import socket
import sys
import threading


async def broker():
    from amqtt.broker import Broker

    # amqtt takes a port, not 0: take a free one from the kernel and hand it over.
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    config = {
        "listeners": {"default": {"type": "ws", "bind": "127.0.0.1:%d" % port}},
        "plugins": {"amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}},
    }
    server = Broker(config)
    await server.start()
    print(port, flush=True)
    await asyncio.Event().wait()


def client(port):
    import paho.mqtt.client as mqtt

    got = threading.Event()
    subscribed = threading.Event()
    unsubscribed = threading.Event()
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="lens-test", transport="websockets")
    c.ws_set_options(path="/mqtt")
    c.on_message = lambda client, userdata, message: (print("got", message.payload.decode(), flush=True), got.set())
    c.on_subscribe = lambda *args: subscribed.set()
    c.on_unsubscribe = lambda *args: unsubscribed.set()
    c.connect("127.0.0.1", int(port), keepalive=60)
    c.loop_start()
    c.subscribe("sensors/#", qos=1)
    if not subscribed.wait(60):
        sys.exit("no SUBACK")
    c.publish("sensors/t1", b'{"t": 21.5}', qos=1).wait_for_publish(60)
    if not got.wait(60):
        sys.exit("the message did not come back")
    c.unsubscribe("sensors/#")
    unsubscribed.wait(60)
    c.disconnect()
    c.loop_stop()


def main():
    if sys.argv[1] == "broker":
        asyncio.run(broker())
    elif sys.argv[1] == "client":
        client(sys.argv[2])
    else:
        raise SystemExit("unknown mode " + sys.argv[1])


main()
