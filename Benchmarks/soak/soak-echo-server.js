// An echo server on Debian's node-ws for the soak (Benchmarks/soak.sh): like the tests' ws_echo_server.js but
// it runs until killed. Usage: node soak-echo-server.js PORT
'use strict';
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2] || 0);
const wss = new WebSocketServer({ host: '127.0.0.1', port, maxPayload: 64 * 1024 * 1024, perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
wss.on('listening', () => console.log(wss.address().port));
