"""A wstap script that reads every message and never answers (ProxyScriptTests: the timeout)."""
import sys

for line in sys.stdin:
    sys.stderr.write("holding message %s\n" % line[:20])
    sys.stderr.flush()
