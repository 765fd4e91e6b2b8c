// An echo server from node-ws (Debian's package) that survives invalid frames: it answers them with
// node-ws's own close frame (1002) instead of exiting.
// Usage: node ws_echo_server.js. Prints the port it listens on (127.0.0.1, chosen by the system), then
// echoes every message with its type.
'use strict';
const { WebSocketServer } = require('ws');

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 * 1024, perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
wss.on('listening', () => console.log(wss.address().port));
setTimeout(() => process.exit(0), 120000);
