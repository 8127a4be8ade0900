import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { RealtimeMessage } from './types';

/**
 * The console's live line: one WebSocket to /api/v1/realtime (the session cookie
 * authenticates it), reconnected with a growing delay when it drops. Screens subscribe to
 * the messages and refetch what they show; nothing is polled.
 */
export type LinkState = 'connecting' | 'live' | 'down';

type Listener = (msg: RealtimeMessage) => void;
const listeners = new Set<Listener>();
const stateListeners = new Set<() => void>();
let state: LinkState = 'connecting';
let socket: WebSocket | null = null;
let retry = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
let wanted = false;

function setState(s: LinkState) {
  if (s === state) return;
  state = s;
  stateListeners.forEach((l) => l());
}

function open() {
  if (!wanted) return;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`;
  setState(retry === 0 ? 'connecting' : 'down');
  const ws = new WebSocket(url);
  socket = ws;
  ws.onmessage = (e) => {
    let msg: RealtimeMessage;
    try {
      msg = JSON.parse(String(e.data)) as RealtimeMessage;
    } catch {
      return;
    }
    if (msg.type === 'hello') {
      // Back after a drop: tell screens to refetch what they may have missed.
      const reconnected = retry > 0;
      retry = 0;
      setState('live');
      if (reconnected) listeners.forEach((l) => l(msg));
      return;
    }
    listeners.forEach((l) => l(msg));
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = null;
    if (!wanted) return;
    setState('down');
    retry++;
    timer = setTimeout(open, Math.min(30_000, 500 * 2 ** Math.min(retry, 6)));
  };
}

export function startRealtime(): void {
  if (wanted) return;
  wanted = true;
  retry = 0;
  open();
}

/** Sends a message to the server over the live line; false while it is down (the caller repeats later). */
export function sendRealtime(msg: object): boolean {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(msg));
  return true;
}

export function stopRealtime(): void {
  wanted = false;
  if (timer) clearTimeout(timer);
  timer = null;
  socket?.close();
  socket = null;
  setState('connecting');
}

export function useLinkState(): LinkState {
  return useSyncExternalStore(
    (l) => {
      stateListeners.add(l);
      return () => stateListeners.delete(l);
    },
    () => state,
  );
}

/** Calls `handler` for every realtime message while the component is mounted. */
export function useRealtime(handler: Listener): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const l: Listener = (m) => ref.current(m);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
}

/** Runs `fn` at most once per `ms` after a burst of calls (a ticket change emits several events). */
export function debounce(fn: () => void, ms: number): () => void {
  let t: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (t) clearTimeout(t);
    t = setTimeout(fn, ms);
  };
}
