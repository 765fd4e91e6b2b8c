// An echo server from node-ws (Debian's package), for interop tests.
// Usage: node ws_echo_server.js [CERT KEY] (with a certificate and key: wss).
// Prints the port it listens on (127.0.0.1, chosen by the system), then echoes every message with its
// type. A text message "close:CODE:REASON" makes it close with that code and reason instead.
'use strict';
const fs = require('fs');
const { WebSocketServer } = require('ws');

const [certFile, keyFile] = process.argv.slice(2);
let server;
if (certFile && keyFile) {
  server = require('https').createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) });
} else {
  server = require('http').createServer();
}
const wss = new WebSocketServer({
  server,
  maxPayload: 64 * 1024 * 1024,
  perMessageDeflate: false,
  handleProtocols: (protocols) => (protocols.has('superchat') ? 'superchat' : protocols.has('chat') ? 'chat' : false),
});
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      const text = data.toString('utf8');
      if (text.startsWith('close:')) {
        const [, code, ...reason] = text.split(':');
        ws.close(Number(code), reason.join(':'));
        return;
      }
    }
    ws.send(data, { binary: isBinary });
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(server.address().port);
});
setTimeout(() => process.exit(0), 120000);
