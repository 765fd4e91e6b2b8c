// node-ws's own client doing what `wstap connect --no-tui URL` does in pipe mode, for the connect benchmark
// (Benchmarks/connect-benchmark.sh): every line of standard input goes out as a text message, every message
// that arrives is printed as a line; at the end of input it closes with 1000 once as many messages came back
// as went out. Usage: NODE_PATH=/usr/share/nodejs node ws-pipe-client.js URL < lines
'use strict';
const WebSocket = require('ws');
const readline = require('readline');

const ws = new WebSocket(process.argv[2], { perMessageDeflate: false });
let sent = 0, received = 0, inputEnded = false;
const out = [];
function flushOut() {
  if (out.length) { process.stdout.write(out.join('')); out.length = 0; }
}
function maybeClose() {
  if (inputEnded && received >= sent) { flushOut(); ws.close(1000); }
}
ws.on('open', () => {
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => { ws.send(line); sent++; });
  rl.on('close', () => { inputEnded = true; maybeClose(); });
});
ws.on('message', (data) => {
  out.push(data.toString() + '\n');
  received++;
  if (out.length >= 1024) flushOut();
  maybeClose();
});
ws.on('close', () => { flushOut(); });
ws.on('error', (e) => { console.error(e.message); process.exit(1); });
