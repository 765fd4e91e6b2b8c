#!/bin/sh
# A wstap script (docs/scripts.md) in jq: the server's text messages reach the client in upper case;
# every other message passes.
#
#   wstap proxy --upstream ws://127.0.0.1:9001 --script 'sh Examples/scripts/shout.sh'
#
# jq reads the JSON lines wstap writes and answers each with one line; --unbuffered flushes each answer.
exec jq --unbuffered -c '
  if .direction == "s2c" and .text != null
  then {id, action: "replace", text: (.text | ascii_upcase)}
  else {id, action: "pass"}
  end'
