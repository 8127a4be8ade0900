import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../../../test/helpers/app';
import { call, expectError } from '../../../../test/helpers/http';
import { attachments } from './ticket.schema';

let env: TestEnv;
let ticketId: string;
beforeAll(async () => {
  env = await startTestEnv({ RELAIS_MAX_ATTACHMENT_BYTES: String(64 * 1024) });
  const t = await call(env.relais.app, 'POST', '/api/v1/tickets', { auth: env.staff.n1.auth, body: { subject: 'Capture d’écran', channel: 'web', contact: { name: 'Lucie', phone: '0644556677' } } });
  ticketId = t.body.id;
});
afterAll(async () => env?.close());

// A real 1×1 PNG.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

function multipart(files: { name: string; type: string; bytes: Buffer }[]) {
  const boundary = '----relais' + Math.random().toString(16).slice(2);
  const parts = files.map((f) =>
    Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.bytes, Buffer.from('\r\n')]),
  );
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(files: { name: string; type: string; bytes: Buffer }[]) {
  const { payload, headers } = multipart(files);
  const res = await env.relais.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/attachments`, payload, headers: { ...headers, ...env.staff.n1.auth } });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

describe('attachments', () => {
  it('stores a file under the data folder with its type sniffed from the bytes, not from the client', async () => {
    const res = await upload([{ name: '../../etc/écran.png', type: 'application/pdf', bytes: PNG }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const a = res.body.items[0];
    expect(a).toMatchObject({ filename: 'écran.png', contentType: 'image/png', sizeBytes: PNG.length });
    const files = await fs.readdir(path.join(env.dataDir, 'attachments'), { recursive: true });
    expect(files.some((f) => String(f).endsWith('.png'))).toBe(true);
    const dl = await env.relais.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments/${a.id}`, headers: env.staff.n2.auth });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(dl.rawPayload, PNG)).toBe(0);
    const ev = await call(env.relais.app, 'GET', `/api/v1/tickets/${ticketId}/events`, { auth: env.staff.n1.auth });
    expect(ev.body.items.at(-1)).toMatchObject({ type: 'attachment.added' });
  });

  it('refuses an executable disguised as an image, an empty file and a file over the limit, keeping nothing', async () => {
    const before = (await call(env.relais.app, 'GET', `/api/v1/tickets/${ticketId}/attachments`, { auth: env.staff.n1.auth })).body.items.length;
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(200)]);
    const exe = await upload([{ name: 'photo.jpg', type: 'image/jpeg', bytes: elf }]);
    expect(exe.status).toBe(422);
    expect(exe.body.error.code).toBe('ATTACHMENT_TYPE_REFUSED');
    const mixed = await upload([
      { name: 'ok.png', type: 'image/png', bytes: PNG },
      { name: 'vide.pdf', type: 'application/pdf', bytes: Buffer.alloc(0) },
    ]);
    expect(mixed.body.error.code).toBe('ATTACHMENT_EMPTY');
    const big = await upload([{ name: 'grand.txt', type: 'text/plain', bytes: Buffer.alloc(70 * 1024, 'a') }]);
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('ATTACHMENT_TOO_LARGE');
    const after = (await call(env.relais.app, 'GET', `/api/v1/tickets/${ticketId}/attachments`, { auth: env.staff.n1.auth })).body.items.length;
    expect(after).toBe(before);
    const files = await fs.readdir(path.join(env.dataDir, 'attachments'), { recursive: true });
    expect(files.filter((f) => /\.(png|txt|pdf)$/.test(String(f)))).toHaveLength(1);
    expectError(await call(env.relais.app, 'POST', `/api/v1/tickets/${ticketId}/attachments`, { auth: env.staff.n1.auth, body: { file: 'x' } }), 400, 'MULTIPART_REQUIRED');
  });

  it('shows a photo inline when asked, but never a text file or an SVG, and keeps the same access rules', async () => {
    const [photo] = (await upload([{ name: 'écran bloqué.png', type: 'image/png', bytes: PNG }])).body.items;
    const [text] = (await upload([{ name: 'lisez-moi.txt', type: 'text/plain', bytes: Buffer.from('<svg onload="alert(1)">') }])).body.items;
    const url = (id: string, q = '') => `/api/v1/tickets/${ticketId}/attachments/${id}${q}`;
    const get = (id: string, q: string, headers: Record<string, string> = env.staff.n1.auth) => env.relais.app.inject({ method: 'GET', url: url(id, q), headers });

    const shown = await get(photo.id, '?inline=true');
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toBe('image/png');
    expect(shown.headers['content-disposition']).toBe(`inline; filename*=UTF-8''${encodeURIComponent('écran bloqué.png')}`);
    expect(shown.headers['x-content-type-options']).toBe('nosniff');
    expect(shown.headers['content-security-policy']).toContain('sandbox');
    expect(Buffer.compare(shown.rawPayload, PNG)).toBe(0);
    expect((await get(photo.id, '')).headers['content-disposition']).toMatch(/^attachment;/);
    expect((await get(photo.id, '?inline=false')).headers['content-disposition']).toMatch(/^attachment;/);

    // Text that looks like markup, and an SVG row (uploads refuse SVG; a row could come from elsewhere): always downloads.
    expect((await get(text.id, '?inline=true')).headers['content-disposition']).toMatch(/^attachment;/);
    const svgPath = path.join('attachments', 'ancien.svg');
    await fs.mkdir(path.join(env.dataDir, 'attachments'), { recursive: true });
    await fs.writeFile(path.join(env.dataDir, svgPath), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    const [svg] = await env.relais.ctx.db.insert(attachments).values({ ticketId, filename: 'ancien.svg', contentType: 'image/svg+xml', sizeBytes: 60, sha256: 'x'.repeat(64), storagePath: svgPath }).returning();
    const svgRes = await get(svg!.id, '?inline=true');
    expect(svgRes.statusCode).toBe(200);
    expect(svgRes.headers['content-disposition']).toMatch(/^attachment;/);
    expect(svgRes.headers['content-security-policy']).toContain("default-src 'none'");
    // An SVG sent today is text by its bytes (no magic number): stored as text/plain, downloaded.
    const [svgText] = (await upload([{ name: 'logo.svg', type: 'image/svg+xml', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') }])).body.items;
    expect(svgText.contentType).toBe('text/plain');
    const svgTextRes = await get(svgText.id, '?inline=true');
    expect(svgTextRes.headers['content-type']).toBe('text/plain');
    expect(svgTextRes.headers['content-disposition']).toMatch(/^attachment;/);

    // Inline or not, the photo is only for staff who may see the ticket.
    expect((await env.relais.app.inject({ method: 'GET', url: url(photo.id, '?inline=true') })).statusCode).toBe(401);
    expect((await get(photo.id, '?inline=true', env.staff.technician.auth)).statusCode).toBe(404);
    expectError(await call(env.relais.app, 'GET', url(photo.id, '?inline=peut-etre'), { auth: env.staff.n1.auth }), 400, 'VALIDATION_FAILED');
  });

  it('accepts plain text, and 404s on an unknown ticket', async () => {
    const ok = await upload([{ name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('Le message d’erreur dit : « accès refusé ».') }]);
    expect(ok.body.items[0].contentType).toBe('text/plain');
    const { payload, headers } = multipart([{ name: 'a.png', type: 'image/png', bytes: PNG }]);
    const res = await env.relais.app.inject({ method: 'POST', url: '/api/v1/tickets/NUM-99999/attachments', payload, headers: { ...headers, ...env.staff.n1.auth } });
    expect(res.statusCode).toBe(404);
  });
});
