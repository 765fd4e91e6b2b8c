// A node-ws client with permessage-deflate, for interop tests.
// Usage: node ws_deflate_client.js URL '{"clientNoContextTakeover":true,...}' (node-ws perMessageDeflate options;
// every message is compressed whatever its size). Sends text and binary messages of several sizes, each
// twice (context takeover shows on the second), checks every echo, prints "params {...}" (the agreed
// parameters) and "ok N"; exits non-zero on any mismatch.
'use strict';
const WebSocket = require('ws');

const [url, json] = process.argv.slice(2);
const options = Object.assign({ threshold: 0 }, JSON.parse(json || '{}'));
const ws = new WebSocket(url, { perMessageDeflate: options, maxPayload: 64 * 1024 * 1024 });
const sizes = [0, 1, 125, 126, 1000, 65535, 65536, 150000];
const messages = [];
for (const size of sizes) {
  const text = 'wstap deflate '.repeat(Math.ceil(size / 14)).slice(0, size);
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 2654435761) >>> 13 & 0xff;
  messages.push([text, false], [text, false], [bytes, true], [bytes, true]);
}
let index = 0;
function fail(why) {
  console.log('FAIL ' + why);
  process.exit(1);
}
function next() {
  if (index === messages.length) {
    console.log('ok ' + index);
    ws.close(1000, 'done');
    return;
  }
  const [data, binary] = messages[index];
  ws.send(data, { binary });
}
ws.on('open', () => {
  const deflate = ws._extensions['permessage-deflate'];
  if (!deflate) fail('permessage-deflate was not agreed');
  console.log('params ' + JSON.stringify(deflate.params));
  next();
});
ws.on('message', (data, isBinary) => {
  const [sent, binary] = messages[index];
  if (isBinary !== binary) fail(`message ${index}: binary ${isBinary}, sent ${binary}`);
  const expected = binary ? sent : Buffer.from(sent, 'utf8');
  if (!expected.equals(data)) fail(`message ${index}: ${data.length} bytes back, ${expected.length} sent`);
  index++;
  next();
});
ws.on('close', (code) => process.exit(index === messages.length && code === 1000 ? 0 : 2));
ws.on('error', (error) => fail(String(error)));
setTimeout(() => fail('timed out'), 60000);
