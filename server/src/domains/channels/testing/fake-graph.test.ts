import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppGraphClient } from '../whatsapp/graph-client';
import { PNG } from './channel-test-kit';
import { startFakeGraph, type FakeGraph } from './fake-graph';

// The fake must refuse what Meta refuses, or the channel tests prove nothing.
let graph: FakeGraph;
beforeAll(async () => {
  graph = await startFakeGraph({ token: 'tok', phoneNumberId: '42' });
});
afterAll(() => graph?.close());

async function upload(fields: Record<string, string | Blob>, filename?: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') form.append(k, v);
    else form.append(k, v, filename);
  }
  const res = await fetch(`${graph.url}/v21.0/42/media`, { method: 'POST', headers: { authorization: 'Bearer tok' }, body: form });
  return { status: res.status, body: (await res.json()) as { id?: string; error?: { code: number; message: string } } };
}

describe('fake Graph API: media upload as Meta documents it', () => {
  it('accepts file + type + messaging_product, and the real client uploads through it', async () => {
    const ok = await upload({ messaging_product: 'whatsapp', type: 'image/png', file: new Blob([PNG], { type: 'image/png' }) }, 'a.png');
    expect(ok.status).toBe(200);
    expect(graph.uploads.get(ok.body.id!)).toMatchObject({ mimeType: 'image/png', filename: 'a.png' });
    const client = new WhatsAppGraphClient({ accessToken: 'tok', phoneNumberId: '42', baseUrl: `${graph.url}/v21.0` });
    const id = await client.uploadMedia(PNG, 'image/png', 'écran.png');
    expect(graph.uploads.get(id)!.bytes.equals(PNG)).toBe(true);
    expect(graph.uploads.get(id)!.filename).toBe('écran.png');
  });

  it('refuses a missing type, a missing messaging_product, a mismatched file type, an unsupported type, an oversized photo and JSON', async () => {
    const png = new Blob([PNG], { type: 'image/png' });
    expect((await upload({ messaging_product: 'whatsapp', file: png }, 'a.png')).status).toBe(400);
    expect((await upload({ type: 'image/png', file: png }, 'a.png')).status).toBe(400);
    expect((await upload({ messaging_product: 'whatsapp', type: 'application/pdf', file: png }, 'a.png')).status).toBe(400);
    const gif = await upload({ messaging_product: 'whatsapp', type: 'image/gif', file: new Blob([PNG], { type: 'image/gif' }) }, 'a.gif');
    expect(gif.body.error!.code).toBe(131053);
    const big = await upload({ messaging_product: 'whatsapp', type: 'image/jpeg', file: new Blob([Buffer.alloc(5_000_001)], { type: 'image/jpeg' }) }, 'big.jpg');
    expect(big.body.error!.code).toBe(131053);
    const json = await fetch(`${graph.url}/v21.0/42/media`, { method: 'POST', headers: { authorization: 'Bearer tok', 'content-type': 'application/json' }, body: JSON.stringify({ messaging_product: 'whatsapp', file: 'x' }) });
    expect(json.status).toBe(400);
    const noAuth = await fetch(`${graph.url}/v21.0/42/media`, { method: 'POST', body: new FormData() });
    expect(noAuth.status).toBe(401);
  });

  it('refuses media messages and buttons that break the documented limits', async () => {
    const client = new WhatsAppGraphClient({ accessToken: 'tok', phoneNumberId: '42', baseUrl: `${graph.url}/v21.0` });
    await expect(client.sendMedia('33600000000', 'image', { id: 'no-such-media' })).rejects.toThrow(/Unknown media id/);
    const id = await client.uploadMedia(PNG, 'image/png', 'a.png');
    await expect(client.sendMedia('33600000000', 'image', { id, caption: 'x'.repeat(1025) })).rejects.toThrow(/caption/);
    expect(await client.sendMedia('33600000000', 'image', { id, caption: 'Voici' })).toMatch(/^wamid\./);
    const post = (interactive: unknown) =>
      fetch(`${graph.url}/v21.0/42/messages`, { method: 'POST', headers: { authorization: 'Bearer tok', 'content-type': 'application/json' }, body: JSON.stringify({ messaging_product: 'whatsapp', to: '33600000000', type: 'interactive', interactive }) });
    const four = { type: 'button', body: { text: 'Q' }, action: { buttons: [1, 2, 3, 4].map((n) => ({ type: 'reply', reply: { id: `b${n}`, title: `B${n}` } })) } };
    expect((await post(four)).status).toBe(400);
    const longTitle = { type: 'button', body: { text: 'Q' }, action: { buttons: [{ type: 'reply', reply: { id: 'b', title: 'Un titre beaucoup trop long' } }] } };
    expect((await post(longTitle)).status).toBe(400);
  });
});
