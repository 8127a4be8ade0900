import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ACTIVE_STATUSES } from '../../../common/src/tickets';
import { api, query } from '../shared/api';
import { debounce, useRealtime } from './realtime';

export const POSSIBLE_EMERGENCY_LIMIT = 100;
// The events that add a ticket to the list or take one out of it.
const CHANGES = new Set(['triage.possible_emergency', 'triage.possible_emergency_dismissed', 'ticket.cyber_emergency']);

/**
 * How many possible emergencies wait for someone to confirm or dismiss them (the menu shows it
 * to level 3 and supervisors), kept live: a dismissal on another console takes one off at once.
 */
export function usePossibleEmergencyCount(enabled: boolean): { n: number; more: boolean } {
  const [count, setCount] = useState({ n: 0, more: false });
  const ids = useRef<Set<string>>(new Set());
  const load = useCallback(async () => {
    if (!enabled) return;
    const res = await api
      .get<{ items: { id: string }[]; nextCursor: string | null }>(`/tickets${query({ possibleEmergency: 'unconfirmed', status: [...ACTIVE_STATUSES], limit: POSSIBLE_EMERGENCY_LIMIT })}`)
      .catch(() => null);
    if (!res) return;
    ids.current = new Set(res.items.map((i) => i.id));
    setCount({ n: res.items.length, more: res.nextCursor !== null });
  }, [enabled]);
  const reload = useMemo(() => debounce(() => void load(), 300), [load]);
  useEffect(() => void load(), [load]);
  useRealtime((m) => {
    if (m.type === 'hello' || (m.type === 'ticket.event' && (CHANGES.has(m.event.type) || ids.current.has(m.event.ticketId))) || (m.type === 'notification' && m.notification.kind === 'possible_cyber_emergency')) reload();
  });
  return count;
}
