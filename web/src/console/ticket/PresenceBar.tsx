import { Avatar, Group, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useLabels } from '../labels';
import { useT } from '../messages';
import type { PresenceViewer } from '../types';

/** Say the same thing about the same person at most this often: a screen reader is not a ticker. */
const ANNOUNCE_AGAIN_MS = 60_000;

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? parts[parts.length - 1]![0]! : '')).toUpperCase();
}

/**
 * Colleagues on this ticket right now, and who is writing. Screen readers hear a colleague
 * arrive or start writing, politely and once in a while, not every heartbeat.
 */
export function PresenceBar({ viewers }: { viewers: PresenceViewer[] }) {
  const t = useT();
  const L = useLabels();
  const [announce, setAnnounce] = useState('');
  const said = useRef(new Map<string, number>());
  const before = useRef<PresenceViewer[]>([]);

  useEffect(() => {
    const now = Date.now();
    const news: string[] = [];
    for (const v of viewers) {
      const prev = before.current.find((p) => p.staffId === v.staffId);
      const what = v.typing && (!prev || !prev.typing) ? `typing-${v.typing}` : !prev ? 'arrived' : null;
      if (!what) continue;
      const key = `${v.staffId}:${what}`;
      if (now - (said.current.get(key) ?? 0) < ANNOUNCE_AGAIN_MS) continue;
      said.current.set(key, now);
      news.push(what === 'arrived' ? t('presenceArrived', { name: v.name }) : t(v.typing === 'internal' ? 'presenceTypingNote' : 'presenceTypingReply', { name: v.name }));
    }
    before.current = viewers;
    if (news.length) setAnnounce(news.join(' '));
  }, [viewers]);

  return (
    <>
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
      {viewers.length > 0 && (
        <section className="presence-bar" aria-labelledby="presence-title">
          <Text size="sm" fw={700} id="presence-title" component="h2">
            {t('presenceTitle')}
          </Text>
          <ul className="presence-list">
            {viewers.map((v) => (
              <li key={v.staffId}>
                <Group gap={6} wrap="nowrap">
                  <Avatar size={28} radius="xl" color="relais" variant="filled" aria-hidden="true">
                    {initials(v.name)}
                  </Avatar>
                  <Text size="sm" span>
                    {v.name}
                    {v.level ? ` (${L.levelShort(v.level)})` : ''}
                    {v.typing && (
                      <Text span size="sm" fs="italic" className="presence-typing">
                        {' — '}
                        {t(v.typing === 'internal' ? 'presenceWritingNote' : 'presenceWritingReply')}
                      </Text>
                    )}
                  </Text>
                </Group>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
