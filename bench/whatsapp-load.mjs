// The load side of bench/whatsapp-inbound.ts, in a worker thread so that it does not take the
// server's event loop: signed WhatsApp webhooks at a fixed rate, and Meta's side answering the
// confirmations the hotline sends back. Plain JavaScript: worker threads do not get tsx.
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { signedTextMessage } from './whatsapp-payload.mjs';

/** Wall-clock milliseconds comparable between threads (each thread has its own performance.now origin). */
const now = () => performance.timeOrigin + performance.now();

let graph = null;

/** Meta's Graph API: accepts every message the hotline sends. */
function startGraph() {
  let n = 0;
  graph = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [], messages: [{ id: `wamid.BENCHOUT${++n}` }] }));
    });
  });
  return new Promise((resolve) => graph.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${graph.address().port}/v21.0`)));
}

/** Sends `rate` messages a second for `seconds`, client i % clients, each as soon as it is due. */
async function drive({ url, label, rate, seconds, clients, secret, phoneId }) {
  const target = new URL(`${url}/webhooks/whatsapp`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const total = rate * seconds;
  const start = performance.now();
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    const id = `wamid.${label}.${i}`;
    const wa = `3361${String(2_000_000 + (i % clients)).padStart(7, '0')}`;
    const { body, signature } = signedTextMessage(secret, phoneId, id, wa, `Message ${i} : mon ordinateur ne démarre plus`);
    const t0 = now();
    parentPort.postMessage({ type: 'sent', id, at: t0 });
    inflight.push(
      new Promise((resolve) => {
        const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature } }, (res) => {
          res.resume();
          res.on('end', () => {
            parentPort.postMessage({ type: 'ack', id, ms: now() - t0, ok: res.statusCode === 200 });
            resolve();
          });
        });
        req.on('error', () => {
          parentPort.postMessage({ type: 'ack', id, ms: now() - t0, ok: false });
          resolve();
        });
        req.end(body);
      }),
    );
  }
  const achievedRate = total / ((performance.now() - start) / 1000);
  await Promise.all(inflight);
  agent.destroy();
  parentPort.postMessage({ type: 'done', achievedRate });
}

parentPort.on('message', async (m) => {
  if (m.type === 'graph') parentPort.postMessage({ type: 'graph', url: await startGraph() });
  else if (m.type === 'drive') await drive(m);
  else if (m.type === 'close') {
    if (graph) graph.close();
    parentPort.close();
  }
});
