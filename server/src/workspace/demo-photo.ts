import { deflateSync } from 'node:zlib';

/**
 * The photo a demo client sends on WhatsApp: a tablet showing a fake security alert (a blue
 * screen, a white box with a red title bar and lines of text). Drawn here as a real PNG, so the
 * demo stores and serves a genuine image without shipping a binary file or using the network.
 */
export function tabletAlertPhoto(): Buffer {
  const width = 320;
  const height = 220;
  const rgb = Buffer.alloc(width * height * 3);
  const fill = (x0: number, y0: number, x1: number, y1: number, [r, g, b]: [number, number, number]) => {
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = (y * width + x) * 3;
        rgb[i] = r;
        rgb[i + 1] = g;
        rgb[i + 2] = b;
      }
    }
  };
  fill(0, 0, width, height, [38, 38, 42]); // the tablet's frame
  fill(14, 14, width - 14, height - 14, [29, 78, 216]); // the screen
  fill(50, 40, width - 50, height - 40, [250, 250, 250]); // the alert box
  fill(50, 40, width - 50, 64, [200, 30, 30]); // its red title bar
  for (const [y, w] of [[80, 180], [94, 200], [108, 150], [122, 190]] as const) fill(64, y, 64 + w, y + 6, [120, 120, 120]);
  fill(110, 146, 210, 166, [200, 30, 30]); // the "call this number" button

  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // no filter
    rgb.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length, 0);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([len, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
