"""A wstap script that upper-cases the client's text messages and exits with status 3 on "crash", without
answering (ProxyScriptTests: wstap starts it again)."""
import json
import sys

for line in sys.stdin:
    message = json.loads(line)
    text = message.get("text")
    if text == "crash":
        sys.exit(3)
    if message["direction"] == "c2s" and text is not None:
        answer = {"id": message["id"], "action": "replace", "text": text.upper()}
    else:
        answer = {"id": message["id"], "action": "pass"}
    print(json.dumps(answer), flush=True)
