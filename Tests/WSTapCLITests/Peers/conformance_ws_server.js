// An echo server from node-ws (Debian's package), for `wstap conformance` against it.
// Prints the port it listens on (127.0.0.1, chosen by the system), then echoes every message with its type
// (64 MiB at most, no compression: permessage-deflate with the argument --deflate) until it is stopped.
'use strict';
const { WebSocketServer } = require('ws');

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 * 1024, perMessageDeflate: process.argv.includes('--deflate') });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
wss.on('listening', () => console.log(wss.address().port));
