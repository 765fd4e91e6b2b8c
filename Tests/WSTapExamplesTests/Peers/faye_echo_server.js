// An echo server from node-faye-websocket (Debian), which speaks hybi-00 (draft-76) as well as RFC 6455:
// websocket-driver picks the protocol from the request's headers.
//
// Usage: NODE_PATH=/usr/share/nodejs node faye_echo_server.js
// Prints the port it listens on (127.0.0.1, chosen by the system), then "open VERSION" when a client
// connects (hixie-76 for hybi-00, hybi-13 for RFC 6455), "message TEXT" per message, which it echoes
// back, and "close CODE REASON" when the connection closes; it then exits.
const http = require('http');
const WebSocket = require('faye-websocket');

const server = http.createServer();
server.on('upgrade', (request, socket, body) => {
    if (!WebSocket.isWebSocket(request)) return socket.end();
    const ws = new WebSocket(request, socket, body);
    ws.on('open', () => console.log('open', ws.version));
    ws.on('message', (event) => {
        console.log('message', event.data);
        ws.send(event.data);
    });
    ws.on('close', (event) => {
        console.log('close', event.code, event.reason);
        server.close();
    });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
setTimeout(() => process.exit(2), 120000).unref();
