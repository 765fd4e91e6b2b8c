// A node-ws client (Debian's package) that connects and never sends anything, for the mock server's idle
// timeout. Usage: node ws_idle_client.js URL
// Prints one line per message received ("message TEXT"), then "closed CODE REASON" when the server closes.
'use strict';
const WebSocket = require('ws');

const ws = new WebSocket(process.argv[2], [], { perMessageDeflate: false });
ws.on('message', (data) => console.log(`message ${data.toString('utf8')}`));
ws.on('close', (code, reason) => {
  console.log(`closed ${code} ${reason.toString()}`);
  process.exit(0);
});
ws.on('error', (error) => {
  console.log(`error ${error.message}`);
  process.exit(1);
});
