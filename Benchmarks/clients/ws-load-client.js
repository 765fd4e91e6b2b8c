// node-ws's own client as an echo load generator, to compare with wstap's library client on the same server
// (Benchmarks/connect-benchmark.sh): keeps IN_FLIGHT binary messages of SIZE bytes on their way (one more sent
// for every echo), counts echoes for SECONDS after 1 s of warm-up.
// Usage: NODE_PATH=/usr/share/nodejs node ws-load-client.js PORT SIZE IN_FLIGHT SECONDS
'use strict';
const WebSocket = require('ws');
const [port, size, inFlight, seconds] = process.argv.slice(2).map(Number);
const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
const payload = Buffer.alloc(size, 0x61);
let received = 0, startCount = 0, startTime = 0;
ws.on('open', () => {
  for (let i = 0; i < inFlight; i++) ws.send(payload, { binary: true });
  setTimeout(() => {
    startCount = received; startTime = process.hrtime.bigint();
    setTimeout(() => {
      const elapsed = Number(process.hrtime.bigint() - startTime) / 1e9;
      const rate = (received - startCount) / elapsed;
      console.log(`size=${size} in_flight=${inFlight} messages_per_s=${rate.toFixed(0)} MB_per_s=${(rate * size / 1e6).toFixed(1)}`);
      process.exit(0);
    }, seconds * 1000);
  }, 1000);
});
ws.on('message', (data) => {
  if (data.length !== size) { console.error(`echo of ${data.length} bytes`); process.exit(1); }
  received++;
  ws.send(payload, { binary: true });
});
ws.on('error', (e) => { console.error(e.message); process.exit(1); });
