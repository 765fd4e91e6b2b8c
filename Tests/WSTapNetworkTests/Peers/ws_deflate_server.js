// A node-ws echo server with permessage-deflate, for interop tests.
// Usage: node ws_deflate_server.js '{"serverNoContextTakeover":true,...}' (node-ws perMessageDeflate options;
// every message is compressed whatever its size). Prints its port, then echoes every message with its type.
// Its answer to a text message "extensions?" is the Sec-WebSocket-Extensions it agreed to.
'use strict';
const { WebSocketServer } = require('ws');

const options = JSON.parse(process.argv[2] || '{}');
const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  maxPayload: 64 * 1024 * 1024,
  perMessageDeflate: Object.assign({ threshold: 0 }, options),
});
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (!isBinary && data.toString('utf8') === 'extensions?') {
      ws.send(Object.keys(ws.extensions).length ? JSON.stringify(ws._extensions['permessage-deflate'].params) : 'none');
      return;
    }
    ws.send(data, { binary: isBinary });
  });
});
wss.on('listening', () => console.log(wss.address().port));
setTimeout(() => process.exit(0), 120000);
