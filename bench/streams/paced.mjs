// POST -> WebSocket latency at a fixed rate, open loop, with Node's own WebSocket and http modules.
// Each event i is posted at start + i/rate whether or not earlier posts were answered (an open-loop
// pacer: a slow answer does not lower the offered rate), over a pool of keep-alive connections.
// Latency = time a subscriber got event i minus the time its POST was written; the first 10% of the
// events are a warm-up and not counted. Needs Node 20 with --experimental-websocket (Node 22: built in).
//
// node --experimental-websocket bench/streams/paced.mjs --url http://127.0.0.1:8080 --key K \
//      [--rate 1000] [--seconds 10] [--subscribers 1] [--connections 16]
import http from 'node:http';

const opt = { url: 'http://127.0.0.1:8080', key: '', rate: 1000, seconds: 10, subscribers: 1, connections: 16 };
for (let i = 2; i < process.argv.length; i += 2) {
  const name = process.argv[i].replace(/^--/, '');
  if (!(name in opt)) throw new Error(`unknown option ${process.argv[i]}`);
  opt[name] = typeof opt[name] === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
if (!opt.key) throw new Error('--key is required');

const total = opt.rate * opt.seconds;
const warmup = Math.floor(total / 10);
const runId = Date.now().toString(36);
const source = `bench-node-${runId}`;
const target = new URL(opt.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: opt.connections, scheduling: 'fifo' });
const sentAt = new Float64Array(total);
const ackAt = new Float64Array(total);
const latencies = [];
let received = 0;
let failures = 0;
const now = () => performance.now();

function subscribe() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${opt.url.replace(/^http/, 'ws')}/ws`);
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'auth', api_key: opt.key }));
      ws.send(JSON.stringify({ type: 'subscribe', filters: { source } }));
    };
    ws.onerror = (e) => reject(new Error(`websocket error ${e.message ?? ''}`));
    ws.onmessage = (m) => {
      const t = now();
      const msg = JSON.parse(m.data);
      if (msg.type === 'subscribe_result') {
        resolve(ws);
      } else if (msg.type === 'event') {
        const seq = msg.event.data.i;
        received++;
        if (seq >= warmup) latencies.push(t - sentAt[seq]);
      } else if (msg.type === 'lagged' || msg.type === 'error') {
        console.error(JSON.stringify(msg));
      }
    };
  });
}

function post(i) {
  const body = JSON.stringify({ source, event_type: 'bench', level: 'info',
    message: `seq ${i} of the stream latency benchmark`, data: { i } });
  const req = http.request({ agent, host: target.hostname, port: target.port, path: '/events', method: 'POST',
    headers: { 'X-API-Key': opt.key, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
  (res) => {
    res.resume();
    res.on('end', () => {
      ackAt[i] = now();
      if (res.statusCode !== 201) failures++;
    });
  });
  req.on('error', () => failures++);
  sentAt[i] = now();
  req.end(body);
}

function quantile(sorted, q) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const sockets = [];
for (let s = 0; s < opt.subscribers; s++) sockets.push(await subscribe());
const start = now();
const interval = 1000 / opt.rate;
let next = 0;
await new Promise((resolve) => {
  const tick = () => {
    const due = Math.min(total, Math.floor((now() - start) / interval) + 1);
    while (next < due) post(next++);
    if (next < total) setTimeout(tick, Math.max(0, start + next * interval - now()));
    else resolve();
  };
  tick();
});
const postedPerSecond = total / ((now() - start) / 1000);
const deadline = now() + 60_000;
while (received < total * opt.subscribers && now() < deadline) await new Promise((r) => setTimeout(r, 10));
await new Promise((r) => setTimeout(r, 50));
sockets.forEach((ws) => ws.close());
agent.destroy();

latencies.sort((a, b) => a - b);
const acks = [];
for (let i = warmup; i < total; i++) if (ackAt[i] > 0) acks.push(ackAt[i] - sentAt[i]);
acks.sort((a, b) => a - b);
const f = (x) => x.toFixed(2);
console.log('subscribers mode events posted/s p50_ms p90_ms p99_ms p99.9_ms max_ms | ack_p50 ack_p99 | failures missing');
console.log(`${opt.subscribers} ${opt.rate}/s ${total} ${postedPerSecond.toFixed(0)} ${f(quantile(latencies, 0.5))} `
  + `${f(quantile(latencies, 0.9))} ${f(quantile(latencies, 0.99))} ${f(quantile(latencies, 0.999))} `
  + `${f(latencies[latencies.length - 1] ?? NaN)} | ${f(quantile(acks, 0.5))} ${f(quantile(acks, 0.99))} | `
  + `${failures} ${total * opt.subscribers - received}`);
