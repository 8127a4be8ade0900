import { useCallback, useEffect, useRef, useState } from 'react';
import { sendRealtime, useLinkState, useRealtime } from '../realtime';
import type { PresenceViewer } from '../types';

type Composing = 'public' | 'internal';

/** Under the server's time to live (35 s): one lost repeat does not make us vanish. */
const HEARTBEAT_MS = 15_000;
/** While writing, "typing" is repeated this often (the server forgets it after 6 s). */
const TYPING_REPEAT_MS = 2_500;
/** A pause to think is still writing; this long without a key is not. */
const TYPING_IDLE_MS = 12_000;

/**
 * This console's presence on a ticket page, and the colleagues on it (collision detection):
 * "viewing" on arrival and every 15 s, "typing" while writing, "left" on the way out. The
 * server forgets what is not repeated, so a closed laptop leaves no ghost.
 */
export function usePresence(ticketId: string | null, myId: string) {
  const [viewers, setViewers] = useState<PresenceViewer[]>([]);
  const link = useLinkState();
  const typing = useRef<{ composing: Composing; lastKey: number; repeat: ReturnType<typeof setInterval> } | null>(null);

  const say = useCallback(
    (state: 'viewing' | 'typing' | 'left', composing?: Composing) => {
      if (!ticketId) return;
      sendRealtime({ type: 'presence', ticketId, state, ...(composing ? { composing } : {}) });
    },
    [ticketId],
  );

  const stopTyping = useCallback(() => {
    if (!typing.current) return;
    clearInterval(typing.current.repeat);
    typing.current = null;
    say('viewing');
  }, [say]);

  /** Called on every keystroke in the composer: "typing" at once, then repeated until the pause is too long. */
  const keystroke = useCallback(
    (composing: Composing) => {
      const cur = typing.current;
      if (cur && cur.composing === composing) {
        cur.lastKey = Date.now();
        return;
      }
      if (cur) clearInterval(cur.repeat);
      const repeat = setInterval(() => {
        const t = typing.current;
        if (!t) return;
        if (Date.now() - t.lastKey > TYPING_IDLE_MS) stopTyping();
        else say('typing', t.composing);
      }, TYPING_REPEAT_MS);
      typing.current = { composing, lastKey: Date.now(), repeat };
      say('typing', composing);
    },
    [say, stopTyping],
  );

  // Arrive (and again whenever the live line comes back), repeat, and leave.
  useEffect(() => {
    if (!ticketId || link !== 'live') return;
    say('viewing');
    const beat = setInterval(() => {
      const cur = typing.current;
      say(cur ? 'typing' : 'viewing', cur?.composing);
    }, HEARTBEAT_MS);
    return () => {
      clearInterval(beat);
      if (typing.current) clearInterval(typing.current.repeat);
      typing.current = null;
      say('left');
    };
  }, [ticketId, link, say]);

  // A new ticket, or a dropped line: what we knew no longer holds until the server says again.
  useEffect(() => setViewers([]), [ticketId, link]);
  useRealtime((m) => {
    if (m.type === 'presence' && m.ticketId === ticketId) setViewers(m.viewers.filter((v) => v.staffId !== myId));
  });

  return { viewers, keystroke, stopTyping };
}
