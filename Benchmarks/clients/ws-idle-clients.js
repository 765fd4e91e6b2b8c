// Opens N WebSocket connections with node-ws's client and keeps them open, idle (no message), for
// Benchmarks/idle-connections.sh. Prints "open N" once all are open; closes them all (1000) when a line
// arrives on standard input, prints "closed N" once all are closed, and exits.
// Usage: NODE_PATH=/usr/share/nodejs node ws-idle-clients.js URL N
'use strict';
const WebSocket = require('ws');
const [url, n] = [process.argv[2], Number(process.argv[3])];
let open = 0, closed = 0;
const all = [];
function connect(i) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  all.push(ws);
  ws.on('open', () => {
    if (++open === n) console.log('open', n);
  });
  ws.on('close', () => { if (++closed === n) { console.log('closed', n); process.exit(0); } });
  ws.on('error', (e) => { console.error(e.message); process.exit(1); });
}
// In waves of 100, so that the listen backlog never overflows.
let next = 0;
function wave() {
  const end = Math.min(n, next + 100);
  for (; next < end; next++) connect(next);
  if (next < n) setTimeout(wave, 20);
}
wave();
process.stdin.once('data', () => { for (const ws of all) ws.close(1000); });
