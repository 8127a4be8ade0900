import { ActionIcon, Button, Group, Paper, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../shared/api';
import { useLang } from '../shared/i18n';
import { useT } from '../console/messages';
import { ErrorAlert, useSaveAction } from './admin-kit';
import { useConsoleTitle } from '../console/session';
import type { Queue } from '../console/types';

interface Slot {
  weekday: number;
  start: string;
  end: string;
}
interface Calendar {
  id: string;
  name?: string;
  timezone: string;
  slots: Slot[];
  holidays: { country: string; region?: string } | null;
  closures: { date: string; label: string }[];
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
function weekdayName(n: number, lang: string): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, n)));
}

/** Opening hours per weekday, public holidays and closures; they drive the SLA clocks and the portal's "Ouvert jusqu'à…". */
export function HoursAdmin() {
  const t = useT();
  const lang = useLang();
  const [queues, setQueues] = useState<Queue[]>([]);
  const [calendarId, setCalendarId] = useState<string | null>(null);
  const [cal, setCal] = useState<Calendar | null>(null);
  const { busy, error, setError, done, run, messageOf } = useSaveAction();
  useConsoleTitle(t('adminHours'));

  useEffect(() => {
    api
      .get<{ items: Queue[] }>('/queues')
      .then((r) => {
        setQueues(r.items);
        setCalendarId(r.items[0]?.calendarId ?? null);
      })
      .catch((err) => setError(messageOf(err)));
  }, []);  
  useEffect(() => {
    if (!calendarId) return;
    api
      .get<Calendar>(`/calendars/${calendarId}`)
      .then((c) => setCal({ ...c, slots: [...c.slots].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start)) }))
      .catch((err) => setError(messageOf(err)));
  }, [calendarId]);  

  const calendars = [...new Set(queues.map((q) => q.calendarId))].map((id) => ({
    value: id,
    label: queues
      .filter((q) => q.calendarId === id)
      .map((q) => q.name)
      .join(', '),
  }));

  const update = (fn: (c: Calendar) => Calendar) => setCal((c) => (c ? fn(c) : c));
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!cal) return;
    await run(async () => {
      const saved = await api.put<Calendar>(`/calendars/${cal.id}`, { timezone: cal.timezone, slots: cal.slots, holidays: cal.holidays, closures: cal.closures });
      setCal({ ...saved, slots: [...saved.slots].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start)) });
    });
  };

  return (
    <Stack gap="md" maw={960}>
      <Title order={1}>{t('adminHours')}</Title>
      <Text>{t('hoursHelp')}</Text>
      {calendars.length > 1 && <Select label={t('hoursCalendar')} data={calendars} value={calendarId} onChange={setCalendarId} allowDeselect={false} maw={480} />}
      {calendars.length === 1 && <Text size="sm">{t('hoursUsedBy', { queues: calendars[0]!.label })}</Text>}
      <ErrorAlert error={error} />
      {cal && (
        <form onSubmit={save}>
          <Stack gap="md">
            <TextInput label={t('hoursTimezone')} description={t('hoursTimezoneHint')} value={cal.timezone} onChange={(e) => update((c) => ({ ...c, timezone: e.currentTarget.value }))} maw={360} />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              {WEEKDAYS.map((d) => {
                const slots = cal.slots.map((s, i) => ({ s, i })).filter((x) => x.s.weekday === d);
                const day = weekdayName(d, lang);
                return (
                  <Paper key={d} withBorder p="sm" radius="md" component="fieldset" style={{ margin: 0 }}>
                    <Text component="legend" fw={700} tt="capitalize" px={4}>
                      {day}
                    </Text>
                    {slots.length === 0 && <Text size="sm">{t('hoursClosed')}</Text>}
                    <Stack gap={6}>
                      {slots.map(({ s, i }, k) => (
                        <Group key={i} gap="xs" wrap="nowrap" align="flex-end">
                          <TextInput type="time" label={t('hoursFrom')} aria-label={t('hoursFromN', { day, n: k + 1 })} value={s.start} onChange={(e) => update((c) => ({ ...c, slots: c.slots.map((x, j) => (j === i ? { ...x, start: e.currentTarget.value } : x)) }))} />
                          <TextInput type="time" label={t('hoursTo')} aria-label={t('hoursToN', { day, n: k + 1 })} value={s.end === '24:00' ? '23:59' : s.end} onChange={(e) => update((c) => ({ ...c, slots: c.slots.map((x, j) => (j === i ? { ...x, end: e.currentTarget.value } : x)) }))} />
                          <ActionIcon variant="default" size="lg" mb={2} aria-label={t('hoursRemove', { day, n: k + 1 })} onClick={() => update((c) => ({ ...c, slots: c.slots.filter((_, j) => j !== i) }))}>
                            ×
                          </ActionIcon>
                        </Group>
                      ))}
                    </Stack>
                    <Button size="compact-sm" variant="subtle" mt={6} onClick={() => update((c) => ({ ...c, slots: [...c.slots, { weekday: d, start: '09:00', end: '12:00' }] }))}>
                      {t('hoursAdd')}
                      <span className="visually-hidden"> ({day})</span>
                    </Button>
                  </Paper>
                );
              })}
            </SimpleGrid>
            <Paper withBorder p="sm" radius="md">
              <Switch label={t('hoursHolidays')} checked={!!cal.holidays} onChange={(e) => update((c) => ({ ...c, holidays: e.currentTarget.checked ? { country: 'FR' } : null }))} />
              {cal.holidays && (
                <Group mt="xs">
                  <TextInput label={t('hoursCountry')} value={cal.holidays.country} onChange={(e) => update((c) => ({ ...c, holidays: { ...c.holidays!, country: e.currentTarget.value.toUpperCase() } }))} maw={120} />
                  <TextInput
                    label={t('hoursRegion')}
                    description={t('hoursRegionHint')}
                    value={cal.holidays.region ?? ''}
                    onChange={(e) => {
                      const region = e.currentTarget.value;
                      update((c) => ({ ...c, holidays: { country: c.holidays!.country, ...(region ? { region } : {}) } }));
                    }}
                    maw={240}
                  />
                </Group>
              )}
            </Paper>
            <Paper withBorder p="sm" radius="md" component="fieldset" style={{ margin: 0 }}>
              <Text component="legend" fw={700} px={4}>
                {t('hoursClosures')}
              </Text>
              <Stack gap={6}>
                {cal.closures.map((c, i) => (
                  <Group key={i} gap="xs" align="flex-end" wrap="nowrap">
                    <TextInput type="date" label={t('hoursClosureDate')} value={c.date} onChange={(e) => update((x) => ({ ...x, closures: x.closures.map((y, j) => (j === i ? { ...y, date: e.currentTarget.value } : y)) }))} />
                    <TextInput label={t('hoursClosureLabel')} value={c.label} onChange={(e) => update((x) => ({ ...x, closures: x.closures.map((y, j) => (j === i ? { ...y, label: e.currentTarget.value } : y)) }))} style={{ flex: 1 }} />
                    <ActionIcon variant="default" size="lg" mb={2} aria-label={t('hoursClosureRemove', { n: i + 1 })} onClick={() => update((x) => ({ ...x, closures: x.closures.filter((_, j) => j !== i) }))}>
                      ×
                    </ActionIcon>
                  </Group>
                ))}
              </Stack>
              <Button size="compact-sm" variant="subtle" mt={6} onClick={() => update((x) => ({ ...x, closures: [...x.closures, { date: '', label: '' }] }))}>
                {t('hoursClosureAdd')}
              </Button>
            </Paper>
            <Group>
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
