import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { unprocessable } from '../../platform/errors';

/** What clients may send: photos of a screen, scans, PDFs, voice notes, short videos. */
export const ALLOWED_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
  'image/heif',
  'application/pdf',
  'audio/ogg',
  'audio/mpeg',
  'audio/mp4',
  'audio/x-m4a',
  'audio/aac',
  'audio/wav',
  'audio/x-wav',
  'audio/webm',
  'video/mp4',
  'video/quicktime',
  'video/webm',
  'text/plain',
]);

export interface StoredFile {
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storagePath: string;
}

/** Plain text has no magic number: accept it only if it decodes as UTF-8 without control bytes. */
function looksLikeText(buf: Buffer): boolean {
  const sample = buf.subarray(0, 8192);
  if (sample.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample);
    return true;
  } catch {
    return false;
  }
}

export function safeFilename(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFC');
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_').trim().slice(0, 200);
  return cleaned || 'fichier';
}

/**
 * The type is sniffed from the bytes, never taken from the client; files land under the
 * data folder with a random name, so a file name can never choose where it is written.
 */
export async function storeAttachment(dataDir: string, bytes: Buffer, claimedName: string): Promise<StoredFile> {
  const sniffed = await fileTypeFromBuffer(bytes);
  // Parameters such as "; codecs=opus" (WhatsApp voice notes) do not change what the file is.
  const contentType = (sniffed?.mime ?? (looksLikeText(bytes) ? 'text/plain' : 'application/octet-stream')).split(';')[0]!.trim();
  if (!ALLOWED_TYPES.has(contentType)) {
    throw unprocessable('ATTACHMENT_TYPE_REFUSED', `Le fichier « ${safeFilename(claimedName)} » n’est pas accepté (${contentType}). Envoyez une photo, un PDF, un son ou une vidéo.`, { contentType });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const now = new Date();
  const rel = path.join('attachments', String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0'), `${randomUUID()}${sniffed ? `.${sniffed.ext}` : '.txt'}`);
  const abs = path.join(dataDir, rel);
  await fs.mkdir(path.dirname(abs), { recursive: true });
  await fs.writeFile(abs, bytes, { flag: 'wx' });
  return { contentType, sizeBytes: bytes.length, sha256, storagePath: rel };
}

export async function readAttachment(dataDir: string, storagePath: string): Promise<Buffer> {
  const abs = path.resolve(dataDir, storagePath);
  if (!abs.startsWith(path.resolve(dataDir) + path.sep)) throw new Error('attachment path escapes the data folder');
  return fs.readFile(abs);
}

export async function removeStored(dataDir: string, storagePath: string): Promise<void> {
  await fs.rm(path.join(dataDir, storagePath), { force: true });
}
