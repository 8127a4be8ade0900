import { ActionIcon, Button, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../shared/api';
import { useT } from '../console/messages';
import { ErrorAlert, useSaveAction } from './admin-kit';
import { useConsoleTitle } from '../console/session';

/** The red button's checklist: what the agent tells the client at once; also shown on the portal's urgent page. */
export function InstructionsAdmin() {
  const t = useT();
  const [items, setItems] = useState<string[] | null>(null);
  const { busy, error, setError, done, run, messageOf } = useSaveAction();
  useConsoleTitle(t('adminInstructions'));
  useEffect(() => {
    api
      .get<{ items: string[] }>('/settings/first-instructions')
      .then((r) => setItems(r.items))
      .catch((err) => setError(messageOf(err)));
  }, []);  

  const move = (i: number, by: number) =>
    setItems((list) => {
      if (!list) return list;
      const next = [...list];
      const [x] = next.splice(i, 1);
      next.splice(i + by, 0, x!);
      return next;
    });

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!items) return;
    const clean = items.map((x) => x.trim()).filter(Boolean);
    if (!clean.length) return setError(t('instructionsEmpty'));
    await run(async () => {
      const r = await api.put<{ items: string[] }>('/settings/first-instructions', { items: clean });
      setItems(r.items);
    });
  };

  return (
    <Stack gap="md" maw={820}>
      <Title order={1}>{t('adminInstructions')}</Title>
      <Text>{t('instructionsHelp')}</Text>
      <ErrorAlert error={error} />
      {items && (
        <form onSubmit={save}>
          <Stack gap="sm">
            <ol style={{ margin: 0, paddingLeft: '1.5rem', display: 'grid', gap: '0.75rem' }}>
              {items.map((x, i) => (
                <li key={i}>
                  <Group align="flex-start" gap="xs" wrap="nowrap">
                    <Textarea aria-label={t('instructionN', { n: i + 1 })} value={x} onChange={(e) => setItems(items.map((y, j) => (j === i ? e.currentTarget.value : y)))} autosize minRows={1} style={{ flex: 1 }} />
                    <ActionIcon variant="default" size="lg" aria-label={t('moveUp', { n: i + 1 })} disabled={i === 0} onClick={() => move(i, -1)}>
                      ↑
                    </ActionIcon>
                    <ActionIcon variant="default" size="lg" aria-label={t('moveDown', { n: i + 1 })} disabled={i === items.length - 1} onClick={() => move(i, 1)}>
                      ↓
                    </ActionIcon>
                    <ActionIcon variant="default" color="red" size="lg" aria-label={t('removeN', { n: i + 1 })} onClick={() => setItems(items.filter((_, j) => j !== i))}>
                      ×
                    </ActionIcon>
                  </Group>
                </li>
              ))}
            </ol>
            <Group>
              <Button variant="default" onClick={() => setItems([...items, ''])}>
                {t('instructionAdd')}
              </Button>
              <Button type="submit" loading={busy}>
                {t('save')}
              </Button>
              <Text role="status">{done}</Text>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
