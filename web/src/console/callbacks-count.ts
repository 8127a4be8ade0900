import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../shared/api';
import { debounce, useRealtime } from './realtime';

/** How many callbacks wait for me (the console menu shows it), kept live like the page itself. */
export function useMyCallbackCount(enabled: boolean): number {
  const [n, setN] = useState(0);
  const load = useCallback(async () => {
    if (!enabled) return;
    const res = await api.get<{ items: unknown[] }>('/callbacks?owner=me&limit=200').catch(() => null);
    if (res) setN(res.items.length);
  }, [enabled]);
  const reload = useMemo(() => debounce(() => void load(), 500), [load]);
  useEffect(() => void load(), [load]);
  useRealtime((m) => {
    if (m.type === 'hello' || (m.type === 'notification' && m.notification.kind.startsWith('callback.'))) reload();
  });
  return n;
}
