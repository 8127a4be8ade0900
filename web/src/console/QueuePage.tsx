import { Alert, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ACTIVE_STATUSES, TICKET_STATUSES } from '../../../common/src/tickets';
import { api, ApiError, query } from '../shared/api';
import { formatDateTime, useLang } from '../shared/i18n';
import { Link, navigate } from '../shared/router';
import { relative, slaState, useLabels } from './labels';
import { VIEWS } from './Layout';
import { useT } from './messages';
import { spacedPhone } from './phone-format';
import { POSSIBLE_EMERGENCY_LIMIT } from './possible-emergencies';
import { debounce, useRealtime } from './realtime';
import { can, useConsoleTitle, useSession } from './session';
import type { Contact, Queue, Staff, Ticket } from './types';

type Params = Record<string, string | number | boolean | (string | number)[] | undefined>;

/** What each view asks the API for; the filters add to it. */
function viewParams(view: string, me: Staff): Params | null {
  const active = [...ACTIVE_STATUSES];
  switch (view) {
    case 'mes-demandes':
      return { assignee: 'me', status: active };
    case 'mon-niveau':
      return { level: me.level ?? undefined, status: active };
    case 'non-attribuees':
      return { assignee: 'none', status: active };
    case 'en-attente':
      return { status: 'waiting_on_contact' };
    case 'urgences':
      return { cyberEmergency: true, status: active };
    case 'delais':
      // Filtered and sorted by the server (soonest deadline first), so nothing is missed past the first page.
      return { status: active, sla: ['breached', 'due_soon'], limit: 50 };
    case 'urgences-possibles':
      // Neither confirmed nor dismissed yet, the one waiting longest first (the server's order).
      return { possibleEmergency: 'unconfirmed', status: active, limit: POSSIBLE_EMERGENCY_LIMIT };
    case 'recherche':
      return {};
    default:
      return null;
  }
}

/** How to reach the client, as a hint under their name: a phone (read the French way) or an email. */
function contactHint(c: Contact | undefined): string {
  const phone = c?.phones[0] ?? (c?.whatsappId ? `+${c.whatsappId.replace(/^\+/, '')}` : null);
  if (phone) return spacedPhone(phone);
  return c?.emails[0] ?? '';
}

export function QueuePage({ view, initialQuery = '' }: { view: string; initialQuery?: string }) {
  const t = useT();
  const lang = useLang();
  const L = useLabels();
  const { me } = useSession();
  const base = viewParams(view, me);
  const def = VIEWS.find((v) => v.slug === view);
  const title = view === 'recherche' ? t('searchTitle') : def ? (view === 'mon-niveau' ? (me.level ? t('viewLevelN', { level: me.level }) : t('viewAllActive')) : t(def.label)) : t('notFound');
  useConsoleTitle(title);

  const [q, setQ] = useState(initialQuery);
  const [status, setStatus] = useState<string | null>(null);
  const [level, setLevel] = useState<string | null>(null);
  const [queue, setQueue] = useState<string | null>(null);
  const [sla, setSla] = useState<string | null>(null);
  const [queues, setQueues] = useState<Queue[]>([]);
  const [items, setItems] = useState<Ticket[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [announce, setAnnounce] = useState('');
  const known = useRef<Set<string> | null>(null);
  // Only the latest request may update the list: a slow early answer must not hide a newer one.
  const seq = useRef(0);

  useEffect(() => setQ(initialQuery), [initialQuery]);
  useEffect(() => {
    api
      .get<{ items: Queue[] }>('/queues')
      .then((r) => setQueues(r.items))
      .catch(() => undefined);
  }, []);

  const params = useMemo<Params | null>(() => {
    if (!base) return null;
    return { ...base, ...(q.trim() ? { q: q.trim() } : {}), ...(status ? { status } : {}), ...(level ? { level: Number(level) } : {}), ...(queue ? { queue } : {}), ...(sla ? { sla } : {}) };
     
  }, [view, q, status, level, queue, sla, me.level]);

  const load = useCallback(
    async (after?: string) => {
      if (!params || (view === 'recherche' && !params.q)) {
        setItems([]);
        return;
      }
      const mine = ++seq.current;
      try {
        const res = await api.get<{ items: Ticket[]; nextCursor: string | null }>(`/tickets${query({ ...params, ...(after ? { cursor: after } : {}) })}`);
        if (mine !== seq.current) return;
        const list = res.items;
        setError(null);
        setCursor(res.nextCursor);
        setItems((prev) => (after && prev ? [...prev, ...list] : list));
        // New tickets since the last look are marked, and announced to screen readers.
        if (!after) {
          const ids = new Set(list.map((x) => x.id));
          if (known.current) {
            const added = list.filter((x) => !known.current!.has(x.id));
            if (added.length) {
              setFresh((f) => new Set([...f, ...added.map((x) => x.id)]));
              setAnnounce(t('liveNew', { numbers: added.map((x) => x.number).join(', ') }));
            }
          }
          known.current = ids;
        }
      } catch (err) {
        setError(err instanceof ApiError ? err.message : t('network'));
      }
    },
     
    [params],
  );

  useEffect(() => {
    known.current = null;
    setFresh(new Set());
    setItems(null);
    void load();
  }, [load]);

  const reload = useMemo(() => debounce(() => void load(), 250), [load]);
  useRealtime((m) => {
    if (m.type === 'ticket.event' || m.type === 'hello') reload();
  });

  if (!base) {
    return (
      <>
        <Title order={1}>{t('notFound')}</Title>
        <Link to="/console">{t('viewMine')}</Link>
      </>
    );
  }

  const statusOptions = (view === 'en-attente' ? [] : view === 'recherche' ? TICKET_STATUSES : ACTIVE_STATUSES).map((s) => ({ value: s, label: L.status(s) }));

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{title}</Title>
        {view === 'urgences' && items && items.length > 0 && (
          <Badge color="red" variant="filled" size="lg">
            {t('emergencyCount', { n: items.length })}
          </Badge>
        )}
        {view === 'urgences-possibles' && items && items.length > 0 && (
          <Badge color="red" variant="outline" size="lg">
            {t('possibleCount', { n: items.length })}
          </Badge>
        )}
      </Group>
      {/* Those who see the layout's red banner on every page are not told twice. */}
      {view === 'urgences' && items && items.length > 0 && !can.seeEmergencies(me) && (
        <div className="emergency-banner" role="alert">
          <strong>{t('emergencyBanner', { n: items.length })}</strong>
        </div>
      )}
      {view === 'delais' && <Text size="sm">{t('slaViewHelp')}</Text>}
      {view === 'urgences-possibles' && <Text size="sm">{t('possibleViewHelp')}</Text>}

      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (view === 'recherche') navigate(`/console/recherche${query({ q: q.trim() })}`, { replace: true });
          void load();
        }}
        aria-label={t('filters')}
      >
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput label={t('filterText')} description={t('filterTextHint')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={{ base: '100%', sm: 280 }} />
          {statusOptions.length > 0 && <Select label={t('filterStatus')} data={statusOptions} value={status} onChange={setStatus} clearable placeholder={t('all')} w={200} />}
          {view !== 'mon-niveau' || !me.level ? <Select label={t('filterLevel')} data={['1', '2', '3'].map((l) => ({ value: l, label: L.level(Number(l)) }))} value={level} onChange={setLevel} clearable placeholder={t('all')} w={240} /> : null}
          <Select label={t('filterQueue')} data={queues.map((x) => ({ value: x.slug, label: x.name }))} value={queue} onChange={setQueue} clearable placeholder={t('all')} w={200} />
          <Select
            label={t('filterSla')}
            data={[
              { value: 'breached', label: t('slaFilterBreached') },
              { value: 'due_soon', label: t('slaFilterSoon') },
            ]}
            value={sla}
            onChange={setSla}
            clearable
            placeholder={t('all')}
            w={260}
          />
          <Button type="submit" variant="light">
            {t('search')}
          </Button>
        </Group>
      </form>

      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
      {error && (
        <Alert color="red" variant="light" role="alert">
          {error}
        </Alert>
      )}
      {items === null ? (
        <p role="status">{t('loading')}</p>
      ) : items.length === 0 ? (
        <Text>{view === 'recherche' && !q.trim() ? t('searchEmpty') : t('queueEmpty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table className="queue-table" striped highlightOnHover verticalSpacing="xs">
            <Table.Caption>{t('queueCaption', { n: items.length })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('colNumber')}</Table.Th>
                <Table.Th scope="col">{t('colSubject')}</Table.Th>
                <Table.Th scope="col">{t('colContact')}</Table.Th>
                <Table.Th scope="col">{t('colStatus')}</Table.Th>
                <Table.Th scope="col">{t('colLevel')}</Table.Th>
                <Table.Th scope="col">{t('colPriority')}</Table.Th>
                <Table.Th scope="col">{t('colAssignee')}</Table.Th>
                <Table.Th scope="col">{t('colSla')}</Table.Th>
                <Table.Th scope="col">{t('colCreated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((x) => {
                const sla = slaState(x);
                return (
                  <Table.Tr key={x.id} className={`${x.cyberEmergency ? 'queue-row-cyber' : ''} ${fresh.has(x.id) ? 'queue-row-new' : ''}`}>
                    <Table.Td className="queue-nowrap">
                      <Link to={`/console/demandes/${x.number}`}>{x.number}</Link>
                      {fresh.has(x.id) && (
                        <Badge size="xs" ml={6} color="relais">
                          {t('newBadge')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {x.cyberEmergency && (
                        <Badge color="red" variant="filled" size="sm" mr={6}>
                          {t('cyberBadge')}
                        </Badge>
                      )}
                      {/* In the possible emergencies' own view every row is one: its signs say more than the badge. */}
                      {!x.cyberEmergency && x.possibleEmergency && view !== 'urgences-possibles' && (
                        <Badge color="red" variant="outline" size="sm" mr={6}>
                          {t('possibleEmergencyBadge')}
                        </Badge>
                      )}
                      {x.subject}
                      {view === 'urgences-possibles' && x.possibleEmergency && (
                        <Text size="xs" c="dimmed">
                          {t('possibleSigns', { reasons: x.possibleEmergency.reasons.map((r) => r.label).join('\u00a0; ') })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {x.contact?.name ?? ''}
                      {contactHint(x.contact) && (
                        <Text size="xs" c="dimmed">
                          {contactHint(x.contact)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{L.status(x.status)}</Table.Td>
                    <Table.Td>{L.levelShort(x.level)}</Table.Td>
                    <Table.Td>{L.priority(x.priority)}</Table.Td>
                    <Table.Td>{x.assignee?.name ?? <Text span c="dimmed" size="sm">{t('unassigned')}</Text>}</Table.Td>
                    <Table.Td>
                      {sla.due ? (
                        <span className={sla.state === 'breached' ? 'sla-breached' : sla.state === 'soon' ? 'sla-soon' : undefined}>
                          {sla.state === 'paused' ? t('slaPaused') : relative(sla.due, lang)}
                        </span>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td>{formatDateTime(x.createdAt, lang, { dateStyle: 'short', timeStyle: 'short' })}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {cursor && (
        <div>
          <Button variant="default" onClick={() => void load(cursor)}>
            {t('loadMore')}
          </Button>
        </div>
      )}
    </Stack>
  );
}
