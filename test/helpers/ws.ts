import WebSocket from 'ws';

export interface WsClient {
  messages: any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  waitFor(pred: (m: any) => boolean, timeoutMs?: number): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Sends a frame: objects as JSON, strings as they are. */
  send(msg: unknown): void;
  close(): void;
}

/** Connects to a listening node's realtime stream and records every message. */
export async function connectRealtime(baseUrl: string, token: string): Promise<WsClient> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/realtime?access_token=${encodeURIComponent(token)}`);
  const messages: unknown[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    for (const w of waiters) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    // Subscribed once the server's hello arrives.
    const check = () => messages.some((m) => (m as { type: string }).type === 'hello') && (waiters.delete(check), resolve());
    waiters.add(check);
  });
  return {
    messages,
    waitFor(pred, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const found = messages.find(pred);
        if (found) return resolve(found);
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching realtime message in ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
        }, timeoutMs);
        const check = () => {
          const m = messages.find(pred);
          if (m) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(m);
          }
        };
        waiters.add(check);
      });
    },
    send(msg) {
      ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
    },
    close() {
      ws.close();
    },
  };
}
