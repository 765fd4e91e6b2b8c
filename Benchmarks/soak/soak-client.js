// The soak's load (Benchmarks/soak.sh), on Debian's node-ws. Two modes:
//
//   node soak-client.js waves URL WAVES CONNECTIONS MESSAGES PERIOD_S
//     WAVES waves, one every PERIOD_S seconds: each opens CONNECTIONS connections at once, and each connection
//     sends MESSAGES messages (8 in flight; text and binary alternately; 16 B to 64 KiB, and one of 1 MiB per
//     connection), checks every echo byte for byte and in order, then closes with 1000.
//   node soak-client.js lines WSTAP URL COUNT RATE
//     runs `WSTAP connect --no-tui URL`, writes COUNT numbered lines to its standard input at RATE lines/s
//     (respecting the pipe's backpressure), and checks that its standard output gives them back in order.
//
// Prints a line of progress every wave (or every 10 s) and a summary; exits with 1 on any mismatch or loss.
'use strict';
const WebSocket = require('ws');
const { spawn } = require('child_process');
const readline = require('readline');

const mode = process.argv[2];
const sizes = [16, 16, 200, 16, 1500, 16, 4000, 70000, 16, 65536];
function payload(wave, conn, index, size) {
  const buffer = Buffer.alloc(size);
  let x = (wave * 7919 + conn * 104729 + index * 31) >>> 0;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    buffer[i] = 32 + ((x >>> 16) % 95); // printable ASCII: valid text too
  }
  return buffer;
}

function runConnection(url, wave, conn, messages) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    const expected = [];
    let sent = 0, received = 0, failure = null;
    const finish = (why) => { if (!failure && why) failure = why; };
    function sendMore() {
      while (sent < messages && sent - received < 8) {
        const size = sent === messages - 1 ? 1048576 : sizes[sent % sizes.length];
        const data = payload(wave, conn, sent, size);
        const binary = sent % 2 === 1;
        expected.push({ data, binary });
        ws.send(data, { binary });
        sent++;
      }
    }
    ws.on('open', sendMore);
    ws.on('message', (data, isBinary) => {
      const want = expected.shift();
      if (!want || want.binary !== isBinary || !want.data.equals(data)) finish(`message ${received} differs`);
      received++;
      if (received === messages) ws.close(1000);
      else sendMore();
    });
    ws.on('error', (e) => finish(e.message));
    ws.on('close', (code) => {
      if (received !== messages) finish(`closed (${code}) after ${received} of ${messages} echoes`);
      resolve({ received, failure });
    });
  });
}

async function waves(url, waveCount, connections, messages, period) {
  let total = 0, failures = 0;
  const start = Date.now();
  for (let wave = 0; wave < waveCount; wave++) {
    const due = start + wave * period * 1000;
    if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
    const results = await Promise.all(
      Array.from({ length: connections }, (_, conn) => runConnection(url, wave, conn, messages)));
    for (const r of results) {
      total += r.received;
      if (r.failure) { failures++; console.error(`wave ${wave}: ${r.failure}`); }
    }
    console.log(`wave ${wave + 1}/${waveCount} echoes_checked=${total} failed_connections=${failures}`);
  }
  console.log(`done messages=${total} failed_connections=${failures}`);
  process.exit(failures ? 1 : 0);
}

function lines(wstap, url, count, rate) {
  const child = spawn(wstap, ['connect', '--no-tui', url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let written = 0, echoed = 0, bad = 0;
  const start = Date.now();
  const rl = readline.createInterface({ input: child.stdout });
  rl.on('line', (line) => {
    if (line !== `line ${echoed} ` + 'x'.repeat(echoed % 100)) bad++;
    echoed++;
  });
  function write() {
    const due = Math.min(count, Math.floor(((Date.now() - start) / 1000) * rate));
    while (written < due) {
      const ok = child.stdin.write(`line ${written} ` + 'x'.repeat(written % 100) + '\n');
      written++;
      if (!ok) { child.stdin.once('drain', write); return; }
    }
    if (written >= count) { child.stdin.end(); return; }
    setTimeout(write, 10);
  }
  write();
  const progress = setInterval(() => console.log(`lines written=${written} echoed=${echoed} bad=${bad}`), 10000);
  child.on('exit', (status) => {
    clearInterval(progress);
    rl.close();
    console.log(`done written=${written} echoed=${echoed} bad=${bad} exit=${status}`);
    process.exit(echoed === count && bad === 0 && status === 0 ? 0 : 1);
  });
}

if (mode === 'waves') {
  const [url, w, c, m, p] = process.argv.slice(3);
  waves(url, Number(w), Number(c), Number(m), Number(p));
} else if (mode === 'lines') {
  const [wstap, url, count, rate] = process.argv.slice(3);
  lines(wstap, url, Number(count), Number(rate));
} else {
  console.error('usage: soak-client.js waves URL WAVES CONNECTIONS MESSAGES PERIOD_S | lines WSTAP URL COUNT RATE');
  process.exit(2);
}
