// A client from node-ws (Debian's package), for interop tests against a wstap server.
// Usage: node ws_client.js URL [CA_FILE]. Sends messages of several sizes and types, checks that each
// comes back unchanged, pings, then closes with 4001 "bye". Prints one line per check; exits non-zero
// at the first failure.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const WebSocket = require('ws');

const [url, caFile] = process.argv.slice(2);
const ws = new WebSocket(url, ['superchat'], {
  maxPayload: 64 * 1024 * 1024,
  perMessageDeflate: false,
  ca: caFile ? fs.readFileSync(caFile) : undefined,
});

const sizes = [0, 125, 126, 65535, 65536, 16 * 1024 * 1024];
const queue = [];
for (const size of sizes) {
  queue.push({ name: `text ${size}`, data: 'é'.repeat(Math.floor(size / 2)) + 'a'.repeat(size % 2), binary: false });
  queue.push({ name: `binary ${size}`, data: crypto.randomBytes(size), binary: true });
}

queue.push({ name: 'fragmented', data: 'fragmented', parts: ['frag', 'ment', 'ed'], binary: false });

function fail(message) {
  console.log(message);
  process.exit(1);
}

function next() {
  const item = queue.shift();
  if (!item) {
    ws.ping(Buffer.from('are you there'));
    return;
  }
  ws.once('message', (data, isBinary) => {
    const same = item.binary ? isBinary && Buffer.compare(data, item.data) === 0 : !isBinary && data.toString('utf8') === item.data;
    if (!same) fail(`mismatch ${item.name}`);
    console.log(`echo ${item.name}`);
    next();
  });
  if (item.parts) {
    item.parts.forEach((part, index) => ws.send(part, { binary: false, fin: index === item.parts.length - 1 }));
  } else {
    ws.send(item.data, { binary: item.binary });
  }
}

ws.on('open', () => {
  console.log(`subprotocol ${ws.protocol}`);
  next();
});
ws.on('pong', () => {
  console.log('pong');
  ws.close(4001, 'bye');
});
ws.on('close', (code, reason) => {
  console.log(`closed ${code} ${reason.toString()}`);
  process.exit(0);
});
ws.on('error', (error) => fail(`error ${error.message}`));
