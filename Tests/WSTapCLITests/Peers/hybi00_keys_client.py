"""A hybi-00 (draft-76) client on a plain socket whose keys end with a space half of the time.

Usage: hybi00_keys_client.py PORT COUNT FRAMING

Makes COUNT handshakes to ws://127.0.0.1:PORT/keys. Keys are made the way the Racket rfc6455 client makes
them (digits, letters and spaces); in every other handshake Sec-WebSocket-Key1 or Sec-WebSocket-Key2 (in
turn) ends with a space. The expected answer is computed as the Racket server does: every space of the
value after the one space that follows the colon counts, a trailing one included. After a correct answer
it sends one text message in FRAMING (old: 0x00 text 0xFF; new: 0xFF, 8-byte length, text; "none": no
message) and reads the echo. Prints one line per handshake that went wrong and, last,
"correct N of COUNT, trailing-space keys M".
"""
import hashlib
import random
import socket
import struct
import sys

rng = random.Random(6455)


def make_key(trailing_space):
    spaces = rng.randint(1, 12)
    number = rng.randint(0, 0xFFFFFFFF // spaces)
    chars = list(str(number * spaces))
    for _ in range(rng.randint(1, 12)):
        chars.insert(rng.randint(0, len(chars)), rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    inner = spaces - 1 if trailing_space else spaces
    for _ in range(inner):
        chars.insert(rng.randint(1, len(chars) - 1), " ")
    if trailing_space:
        chars.append(" ")
    return "".join(chars), number


def read_exactly(sock, count, buffer):
    while len(buffer) < count:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError("the server closed after %d bytes" % len(buffer))
        buffer += chunk
    return buffer


def handshake(port, index, framing):
    trailing1 = index % 4 == 1
    trailing2 = index % 4 == 3
    key1, number1 = make_key(trailing1)
    key2, number2 = make_key(trailing2)
    key3 = bytes(rng.randrange(256) for _ in range(8))
    expected = hashlib.md5(struct.pack(">II", number1, number2) + key3).digest()
    head = (
        "GET /keys HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: Upgrade\r\nUpgrade: WebSocket\r\n"
        "Origin: http://127.0.0.1\r\nSec-WebSocket-Key1: %s\r\nSec-WebSocket-Key2: %s\r\n\r\n" % (port, key1, key2)
    )
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(head.encode() + key3)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = sock.recv(65536)
            if not chunk:
                return "handshake %d: the server closed during the response head: %r" % (index, received[:200])
            received += chunk
        end = received.index(b"\r\n\r\n") + 4
        status = received[: received.index(b"\r\n")]
        if b" 101 " not in status + b" ":
            return "handshake %d: %r (key1 %r, key2 %r)" % (index, status, key1, key2)
        received = read_exactly(sock, end + 16, received)
        answer = received[end : end + 16]
        if answer != expected:
            return "handshake %d: wrong answer %s, expected %s (key1 %r, key2 %r)" % (
                index, answer.hex(), expected.hex(), key1, key2)
        rest = received[end + 16 :]
        text = ("message %d" % index).encode()
        if framing == "old":
            sock.sendall(b"\x00" + text + b"\xff")
            want = b"\x00" + text + b"\xff"
        elif framing == "new":
            sock.sendall(b"\xff" + struct.pack(">Q", len(text)) + text)
            want = b"\xff" + struct.pack(">Q", len(text)) + text
        else:
            return None
        rest = read_exactly(sock, len(want), rest)
        if rest[: len(want)] != want:
            return "handshake %d: echo %r, expected %r" % (index, rest[: len(want)], want)
    return None


def main():
    port, count, framing = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    correct = 0
    trailing = 0
    for index in range(count):
        if index % 2 == 1:
            trailing += 1
        try:
            problem = handshake(port, index, framing)
        except (OSError, EOFError) as error:
            problem = "handshake %d: %s" % (index, error)
        if problem:
            print(problem, flush=True)
        else:
            correct += 1
    print("correct %d of %d, trailing-space keys %d" % (correct, count, trailing), flush=True)


main()
