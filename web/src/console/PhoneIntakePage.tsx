import { Alert, Autocomplete, Button, Grid, Group, Paper, Radio, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { categoryFromWords } from '../../../common/src/categories';
import { ACTIVE_STATUSES, TICKET_PRIORITIES, TICKET_TYPES, type TicketPriority, type TicketType } from '../../../common/src/tickets';
import { api, ApiError, query } from '../shared/api';
import { formatDateTime, useLang } from '../shared/i18n';
import { Link, navigate } from '../shared/router';
import { callDuration, useLabels } from './labels';
import { useT } from './messages';
import { useConsoleTitle } from './session';
import { categorySuggestions } from './ticket/dialogs';
import type { Call, Contact, Queue, Ticket } from './types';

const NEW = '__new__';

const duration = (ms: number) => callDuration(Math.floor(ms / 1000));
const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * During a call: find the caller by phone number (or take their details), write the request,
 * qualify it, and record the call on the ticket when it ends: a call record with its start,
 * end, duration and direction (POST /tickets/:ref/calls), shown in the ticket's timeline.
 */
export default function PhoneIntakePage() {
  const t = useT();
  const lang = useLang();
  const L = useLabels();
  useConsoleTitle(t('phoneIntake'));

  const [startedAt] = useState(() => new Date());
  const [now, setNow] = useState(Date.now());
  const [endedAt, setEndedAt] = useState<Date | null>(null);
  const [direction, setDirection] = useState<'inbound' | 'outbound'>('inbound');
  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(i);
  }, []);

  const [phone, setPhone] = useState('');
  const [matches, setMatches] = useState<Contact[] | null>(null);
  const [picked, setPicked] = useState<string>(NEW);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [theirTickets, setTheirTickets] = useState<Ticket[]>([]);

  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [type, setType] = useState<TicketType>('request');
  const [category, setCategory] = useState('');
  const [priority, setPriority] = useState<TicketPriority>('normal');
  const [level, setLevel] = useState('1');
  const [queue, setQueue] = useState<string | null>(null);
  const [queues, setQueues] = useState<Queue[]>([]);

  const [created, setCreated] = useState<Ticket | null>(null);
  const [callTicket, setCallTicket] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .get<{ items: Queue[] }>('/queues')
      .then((r) => setQueues(r.items.filter((q) => q.active && !q.isCyber)))
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    if (picked === NEW) return setTheirTickets([]);
    api
      .get<{ items: Ticket[] }>(`/tickets${query({ contactId: picked, status: [...ACTIVE_STATUSES], limit: 10 })}`)
      .then((r) => setTheirTickets(r.items))
      .catch(() => setTheirTickets([]));
  }, [picked]);

  const find = async (e: React.FormEvent) => {
    e.preventDefault();
    if (phone.trim().length < 3) return setError(t('intakePhoneMissing'));
    setError(null);
    try {
      const r = await api.get<{ items: Contact[] }>(`/contacts${query({ phone: phone.trim() })}`);
      setMatches(r.items);
      setPicked(r.items[0]?.id ?? NEW);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('network'));
    }
  };

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    if (picked === NEW && !name.trim()) return setError(t('intakeNameMissing'));
    if (!subject.trim()) return setError(t('intakeSubjectMissing'));
    setError(null);
    setBusy(true);
    try {
      const contact = picked === NEW ? { contact: { name: name.trim(), ...(phone.trim() ? { phone: phone.trim() } : {}), ...(email.trim() ? { email: email.trim() } : {}), preferredChannel: 'phone' as const } } : { contactId: picked };
      const tk = await api.post<Ticket>('/tickets', {
        ...contact,
        subject: subject.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        channel: 'phone',
        type,
        ...(categoryFromWords(category) ? { category: categoryFromWords(category) } : {}),
        priority,
        level: Number(level),
        ...(queue ? { queue } : {}),
      });
      setCreated(tk);
      setCallTicket(tk.number);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('network'));
    } finally {
      setBusy(false);
    }
  };

  const endCall = async () => {
    const end = endedAt ?? new Date();
    setEndedAt(end);
    if (!callTicket) return;
    setBusy(true);
    try {
      // The ticket page then shows the call in its timeline, with its duration.
      await api.post<Call>(`/tickets/${callTicket}/calls`, { startedAt: startedAt.toISOString(), endedAt: end.toISOString(), direction });
      navigate(`/console/demandes/${callTicket}`);
    } catch (err) {
      setError(t('callRecordFailed', { reason: err instanceof ApiError ? err.message : t('network') }));
      setBusy(false);
    }
  };

  const elapsed = (endedAt?.getTime() ?? now) - startedAt.getTime();

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Title order={1}>{t('phoneIntake')}</Title>
        <Paper withBorder p="sm" radius="md" component="section" aria-label={t('callTimer')}>
          <Group gap="md">
            <div>
              <Text size="xs">{t('callStarted', { at: formatDateTime(startedAt.toISOString(), lang, { timeStyle: 'short' }) })}</Text>
              <Text className="call-timer" role="timer" aria-label={t('callDuration')}>
                {clock(elapsed)}
              </Text>
            </div>
            <Button color="red" variant={callTicket ? 'filled' : 'outline'} onClick={() => void endCall()} loading={busy && !!created} disabled={!!endedAt && !callTicket}>
              {callTicket ? t('endCallRecord', { number: callTicket }) : t('endCall')}
            </Button>
          </Group>
          <Radio.Group label={t('callDirection')} value={direction} onChange={(v) => setDirection(v === 'outbound' ? 'outbound' : 'inbound')} mt="xs" size="sm">
            <Group gap="md" mt={4}>
              <Radio value="inbound" label={t('callInbound')} disabled={busy} />
              <Radio value="outbound" label={t('callOutbound')} disabled={busy} />
            </Group>
          </Radio.Group>
          {endedAt && !callTicket && <Text size="sm">{t('callEndedNoTicket', { duration: duration(elapsed) })}</Text>}
        </Paper>
      </Group>

      {error && (
        <Alert color="red" variant="light" role="alert">
          {error}
        </Alert>
      )}
      {created && (
        <Alert color="green" variant="light" role="status" title={t('intakeCreated', { number: created.number })}>
          <Link to={`/console/demandes/${created.number}`}>{t('openTicket', { number: created.number })}</Link> · {t('intakeCreatedHelp')}
        </Alert>
      )}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="caller-title">
            <Title order={2} size="h4" id="caller-title" mb="sm">
              {t('intakeCaller')}
            </Title>
            <form onSubmit={find}>
              <Group align="flex-end" gap="xs">
                <TextInput label={t('intakePhone')} type="tel" value={phone} onChange={(e) => setPhone(e.currentTarget.value)} style={{ flex: 1 }} data-autofocus autoFocus />
                <Button type="submit" variant="light">
                  {t('intakeFind')}
                </Button>
              </Group>
            </form>
            {matches && (
              <Radio.Group label={matches.length ? t('intakeMatches', { n: matches.length }) : t('intakeNoMatch')} value={picked} onChange={setPicked} mt="md">
                <Stack gap={6} mt={6}>
                  {matches.map((c) => (
                    <Radio key={c.id} value={c.id} label={`${c.name} — ${[...c.phones, ...c.emails].join(', ')}`} />
                  ))}
                  <Radio value={NEW} label={t('intakeNewContact')} />
                </Stack>
              </Radio.Group>
            )}
            {(picked === NEW || !matches) && (
              <Stack gap="xs" mt="md">
                <TextInput label={t('intakeName')} value={name} onChange={(e) => setName(e.currentTarget.value)} required />
                <TextInput label={t('intakeEmail')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
              </Stack>
            )}
            {theirTickets.length > 0 && (
              <Stack gap={4} mt="md">
                <Text fw={700} size="sm">
                  {t('intakeOpenTickets')}
                </Text>
                {theirTickets.map((x) => (
                  <Group key={x.id} gap="xs" justify="space-between" wrap="nowrap">
                    <Text size="sm">
                      <Link to={`/console/demandes/${x.number}`}>{x.number}</Link> — {x.subject} ({L.status(x.status)})
                    </Text>
                    {!created && (
                      <Button size="compact-sm" variant={callTicket === x.number ? 'filled' : 'default'} onClick={() => setCallTicket(x.number)} aria-pressed={callTicket === x.number}>
                        {t('intakeUseTicket')}
                      </Button>
                    )}
                  </Group>
                ))}
              </Stack>
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="request-title">
            <Title order={2} size="h4" id="request-title" mb="sm">
              {t('intakeRequest')}
            </Title>
            <form onSubmit={create}>
              <Stack gap="sm">
                <TextInput label={t('field_subject')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} required disabled={!!created} />
                <Textarea label={t('description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={4} disabled={!!created} />
                <Grid gap="sm">
                  <Grid.Col span={{ base: 12, sm: 6 }}>
                    <Select label={t('field_type')} data={TICKET_TYPES.map((x) => ({ value: x, label: L.type(x) }))} value={type} onChange={(v) => v && setType(v as TicketType)} allowDeselect={false} disabled={!!created} />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 6 }}>
                    <Autocomplete label={t('field_category')} data={categorySuggestions(lang)} value={category} onChange={setCategory} disabled={!!created} />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 4 }}>
                    <Select label={t('field_priority')} data={TICKET_PRIORITIES.map((x) => ({ value: x, label: L.priority(x) }))} value={priority} onChange={(v) => v && setPriority(v as TicketPriority)} allowDeselect={false} disabled={!!created} />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 4 }}>
                    <Select label={t('field_level')} data={['1', '2', '3'].map((x) => ({ value: x, label: L.levelShort(Number(x)) }))} value={level} onChange={(v) => v && setLevel(v)} allowDeselect={false} disabled={!!created} />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 4 }}>
                    <Select label={t('field_queue')} data={queues.map((q) => ({ value: q.slug, label: q.name }))} value={queue} onChange={setQueue} clearable placeholder={t('defaultQueue')} disabled={!!created} />
                  </Grid.Col>
                </Grid>
                {!created && (
                  <Group justify="flex-end">
                    <Button type="submit" loading={busy}>
                      {t('intakeCreate')}
                    </Button>
                  </Group>
                )}
              </Stack>
            </form>
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
