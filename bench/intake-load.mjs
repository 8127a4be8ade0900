// Load generator for bench/intake-cpu.ts, run as its own process so that its CPU is not
// counted as the server's: a fixed number of intake requests, then the figures as JSON.
import process from 'node:process';
import autocannon from 'autocannon';
import setupRequest from './intake-request.cjs';

const [url, token, amount, connections] = process.argv.slice(2);
autocannon(
  {
    url,
    method: 'POST',
    connections: Number(connections),
    amount: Number(amount),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requests: [{ setupRequest }],
  },
  (err, r) => {
    if (err) throw err;
    process.stdout.write(JSON.stringify({ total: r.requests.total, non2xx: r.non2xx, errors: r.errors, p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average }));
  },
);
