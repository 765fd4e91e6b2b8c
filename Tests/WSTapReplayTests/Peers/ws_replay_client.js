// A client from node-ws (Debian's package), for mock-server tests.
// Usage: node ws_replay_client.js URL SUBPROTOCOL MESSAGES_JSON
// MESSAGES_JSON is an array of {"text": "..."} or {"binary": "<base64>"}. Sends the first message, and each
// next one after a message arrives; after the last reply closes with 1000 "bye". Prints one JSON line per
// message received ({"text": ...} or {"binary": ...}), then "closed CODE REASON".
'use strict';
const WebSocket = require('ws');

const [url, subprotocol, messagesJSON] = process.argv.slice(2);
const queue = JSON.parse(messagesJSON);
const ws = new WebSocket(url, subprotocol ? [subprotocol] : [], { perMessageDeflate: false });

function sendNext() {
  const item = queue.shift();
  if (!item) {
    ws.close(1000, 'bye');
    return;
  }
  if (item.text !== undefined) ws.send(item.text, { binary: false });
  else ws.send(Buffer.from(item.binary, 'base64'), { binary: true });
}

ws.on('open', () => sendNext());
ws.on('message', (data, isBinary) => {
  console.log(JSON.stringify(isBinary ? { binary: data.toString('base64') } : { text: data.toString('utf8') }));
  sendNext();
});
ws.on('close', (code, reason) => {
  console.log(`closed ${code} ${reason.toString()}`);
  process.exit(0);
});
ws.on('error', (error) => {
  console.log(`error ${error.message}`);
  process.exit(1);
});
