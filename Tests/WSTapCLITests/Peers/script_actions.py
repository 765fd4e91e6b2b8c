"""A wstap script that uses every answer (docs/scripts.md), for ProxyScriptTests: "drop me" is dropped,
"ask" is answered by the script, "inject" goes on followed by two more messages, "bye" closes the
connection, "swap" is replaced by binary bytes; everything else passes. Messages from the server pass.
"""
import base64
import json
import sys

for line in sys.stdin:
    message = json.loads(line)
    text = message.get("text") if message["direction"] == "c2s" else None
    if text == "drop me":
        answer = {"action": "drop"}
    elif text == "ask":
        answer = {"action": "drop", "reply": {"text": "answered by the script"}}
    elif text == "inject":
        answer = {"action": "pass",
                  "inject": [{"text": "extra 1"}, {"base64": base64.b64encode(b"\x00\x01").decode()}]}
    elif text == "bye":
        answer = {"action": "close", "code": 4000, "reason": "bye from the script"}
    elif text == "swap":
        answer = {"action": "replace", "base64": base64.b64encode(b"\xca\xfe").decode()}
    else:
        answer = {"action": "pass"}
    answer["id"] = message["id"]
    print(json.dumps(answer), flush=True)
