import { Kbd, Modal, Switch, Table, Text } from '@mantine/core';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useT, type ConsoleKey } from './messages';

/**
 * Single-key shortcuts for the frequent actions. WCAG 2.1.4: they can be turned off (help
 * dialog, remembered), and never fire while typing in a field or with Ctrl/Alt/Meta held.
 */
export const SHORTCUTS: { keys: string; label: ConsoleKey; scope: 'global' | 'ticket' }[] = [
  { keys: '?', label: 'kbHelp', scope: 'global' },
  { keys: '/', label: 'kbSearch', scope: 'global' },
  { keys: 'a', label: 'kbCall', scope: 'global' },
  { keys: '1 … 7', label: 'kbViews', scope: 'global' },
  { keys: 'r', label: 'kbReply', scope: 'ticket' },
  { keys: 'n', label: 'kbNote', scope: 'ticket' },
  { keys: 'p', label: 'kbTake', scope: 'ticket' },
  { keys: 'q', label: 'kbQualify', scope: 'ticket' },
  { keys: 's', label: 'kbStatus', scope: 'ticket' },
  { keys: 'e', label: 'kbEscalate', scope: 'ticket' },
  { keys: 'Ctrl + ↵', label: 'kbSend', scope: 'ticket' },
];

const KEY = 'relais.console.shortcuts';
let enabled = (() => {
  try {
    return localStorage.getItem(KEY) !== 'off';
  } catch {
    return true;
  }
})();
const listeners = new Set<() => void>();

export function setShortcutsEnabled(on: boolean): void {
  enabled = on;
  try {
    localStorage.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // Private browsing: for this page only.
  }
  listeners.forEach((l) => l());
}

export function useShortcutsEnabled(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => enabled,
  );
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !['checkbox', 'radio', 'button', 'submit'].includes((el as HTMLInputElement).type);
  return !!el.closest('[role="dialog"]');
}

/** `handlers` maps a key ("r", "?", "1") to its action, while the component is mounted. */
export function useShortcuts(handlers: Record<string, () => void>): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!enabled || e.ctrlKey || e.altKey || e.metaKey || typing(e.target)) return;
      const fn = ref.current[e.key];
      if (fn) {
        e.preventDefault();
        fn();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

export function ShortcutsDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const t = useT();
  const on = useShortcutsEnabled();
  return (
    <Modal opened={opened} onClose={onClose} title={t('kbTitle')} size="lg" closeButtonProps={{ 'aria-label': t('close') }}>
      <Switch label={t('kbEnabled')} checked={on} onChange={(e) => setShortcutsEnabled(e.currentTarget.checked)} mb="md" />
      <Text size="sm" mb="sm">
        {t('kbIntro')}
      </Text>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('kbKey')}</Table.Th>
            <Table.Th scope="col">{t('kbAction')}</Table.Th>
            <Table.Th scope="col">{t('kbWhere')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {SHORTCUTS.map((s) => (
            <Table.Tr key={s.keys}>
              <Table.Td>
                <Kbd>{s.keys}</Kbd>
              </Table.Td>
              <Table.Td>{t(s.label)}</Table.Td>
              <Table.Td>{s.scope === 'global' ? t('kbEverywhere') : t('kbOnTicket')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
