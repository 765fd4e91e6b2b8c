#!/usr/bin/env python3
"""A wstap script (docs/scripts.md): the client's JSON messages with "role": "user" go on with
"role": "admin"; every other message passes.

    wstap proxy --upstream ws://127.0.0.1:9001 --script 'python3 Examples/scripts/promote_role.py'

wstap writes one JSON line per message on standard input and reads one answer per line on standard
output: flush after each answer. Anything printed on standard error shows in wstap's output.
"""
import json
import sys


def answer(message):
    text = message.get("text")
    if message["direction"] != "c2s" or text is None:
        return {"action": "pass"}
    try:
        document = json.loads(text)
    except ValueError:
        return {"action": "pass"}
    if not isinstance(document, dict) or document.get("role") != "user":
        return {"action": "pass"}
    document["role"] = "admin"
    return {"action": "replace", "text": json.dumps(document, separators=(",", ":"))}


for line in sys.stdin:
    message = json.loads(line)
    reply = answer(message)
    reply["id"] = message["id"]
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
