// The load side of bench/whatsapp-cpu.ts, in a child process so that its CPU is not counted with
// the server's: signed WhatsApp webhooks, and Meta's side answering the confirmations.
import { Buffer } from 'node:buffer';
import http from 'node:http';
import process from 'node:process';
import { URL } from 'node:url';
import { signedTextMessage } from './whatsapp-payload.mjs';

let n = 0;
const graph = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [], messages: [{ id: `wamid.CPUOUT${++n}` }] }));
  });
});

/** Messages first…last-1, client i % clients, `concurrency` requests at a time. */
async function send({ url, first, last, clients, clientBase = 0, concurrency, secret, phoneId }) {
  const target = new URL(`${url}/webhooks/whatsapp`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = first;
  let failed = 0;
  const one = (i) =>
    new Promise((resolve) => {
      const wa = `3361${String(2_000_000 + clientBase + (i % clients)).padStart(7, '0')}`;
      const { body, signature } = signedTextMessage(secret, phoneId, `wamid.cpu.${i}`, wa, `Message ${i} : mon ordinateur ne démarre plus`);
      const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) failed++;
          resolve();
        });
      });
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < last) await one(next++);
    }),
  );
  agent.destroy();
  return { failed };
}

process.on('message', async (m) => {
  if (m.type === 'graph') graph.listen(0, '127.0.0.1', () => process.send({ type: 'graph', url: `http://127.0.0.1:${graph.address().port}/v21.0` }));
  else if (m.type === 'send') process.send({ type: 'sent', ...(await send(m)) });
  else if (m.type === 'close') {
    graph.close();
    process.disconnect();
  }
});
