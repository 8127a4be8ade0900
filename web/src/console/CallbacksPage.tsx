import './channels.css';
import { Alert, Anchor, Badge, Button, Group, Modal, Radio, SegmentedControl, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, query } from '../shared/api';
import { formatDateTime, useLang } from '../shared/i18n';
import { Link } from '../shared/router';
import { useChannelsT, type ChannelsKey } from './channels-messages';
import { useT } from './messages';
import { debounce, useRealtime } from './realtime';
import { spacedPhone } from './phone-format';
import { useConsoleTitle, useSession } from './session';

/** GET /api/v1/callbacks (channels/callbacks/callback-routes.ts). */
export interface CallbackView {
  id: string;
  status: 'pending' | 'done' | 'cancelled';
  source: 'ivr' | 'portal' | 'whatsapp' | 'console';
  phone: string;
  reason: string;
  dueAt: string;
  contact: { id: string; name: string };
  ticket: { id: string; number: string } | null;
  owner: { id: string; name: string | null } | null;
  outcome: Outcome | null;
  note: string | null;
  createdAt: string;
  completedAt: string | null;
}

type View = 'mine' | 'team' | 'done';
const OUTCOMES = ['reached', 'no_answer', 'voicemail', 'wrong_number', 'cancelled'] as const;
type Outcome = (typeof OUTCOMES)[number];

const queryFor = (view: View) => (view === 'mine' ? { owner: 'me', limit: 200 } : view === 'team' ? { limit: 200 } : { status: 'done', limit: 100 });

/**
 * « Rappels » : the callbacks to make, mine or the whole team's, soonest first, each with its
 * client, number (a tel: link), request and reason; marked done with the outcome of the call.
 * Kept live: every change anywhere (IVR, portal, WhatsApp, a colleague) refreshes the list.
 */
export default function CallbacksPage() {
  const t = useT();
  const c = useChannelsT();
  const lang = useLang();
  const { me } = useSession();
  useConsoleTitle(c('callbacksTitle'));
  const [view, setView] = useState<View>('mine');
  const [items, setItems] = useState<CallbackView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState<CallbackView | null>(null);
  const [announce, setAnnounce] = useState('');
  const [now, setNow] = useState(() => Date.now());

  const seq = useRef(0);
  // The dialog is unmounted when it closes, so focus is put back by hand: on the button that
  // opened it, or, once that row is gone (done), on the page so the keyboard is not lost.
  const opener = useRef<HTMLElement | null>(null);
  const refocus = () =>
    requestAnimationFrame(() => {
      const el = opener.current;
      if (el?.isConnected) el.focus();
      else document.getElementById('contenu')?.focus();
    });
  const load = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const res = await api.get<{ items: CallbackView[] }>(`/callbacks${query(queryFor(view))}`);
      if (mine !== seq.current) return;
      setItems(view === 'done' ? res.items.sort((a, b) => Date.parse(b.completedAt ?? b.dueAt) - Date.parse(a.completedAt ?? a.dueAt)) : res.items);
      setError(null);
    } catch (err) {
      if (mine === seq.current) setError(err instanceof ApiError ? err.message : t('network'));
    }
  }, [view]);
  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);
  // "Late" follows the clock without reloading.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const reload = useMemo(() => debounce(() => void load(), 250), [load]);
  useRealtime((m) => {
    if (m.type === 'hello') reload();
    if (m.type === 'notification' && m.notification.kind.startsWith('callback.')) reload();
    if (m.type === 'ticket.event' && m.event.type.startsWith('callback.')) reload();
  });

  const take = async (cb: CallbackView) => {
    try {
      await api.patch(`/callbacks/${cb.id}`, { ownerId: me.id });
      setAnnounce(c('cbTaken', { name: cb.contact.name }));
      void load();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('network'));
    }
  };

  const source = (s: string) => c(`source_${s}` as ChannelsKey);
  const outcome = (o: string) => c(`outcome_${o}` as ChannelsKey);

  return (
    <Stack gap="md">
      <div>
        <Title order={1}>{c('callbacksTitle')}</Title>
        <Text c="dimmed">{c('callbacksIntro')}</Text>
      </div>
      <SegmentedControl
        aria-label={c('callbacksViewLabel')}
        value={view}
        onChange={(v) => setView(v as View)}
        data={[
          { value: 'mine', label: c('callbacksMine') },
          { value: 'team', label: c('callbacksTeam') },
          { value: 'done', label: c('callbacksDone') },
        ]}
        w="fit-content"
      />
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
        <Text size="lg">{view === 'done' ? c('callbacksEmptyDone') : c('callbacksEmpty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing="sm" className="callbacks-table">
            <Table.Caption>{c('callbacksCount', { n: items.length })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{c('cbDue')}</Table.Th>
                <Table.Th scope="col">{c('cbContact')}</Table.Th>
                <Table.Th scope="col">{c('cbTicket')}</Table.Th>
                <Table.Th scope="col">{c('cbReason')}</Table.Th>
                <Table.Th scope="col">{c('cbOwner')}</Table.Th>
                <Table.Th scope="col">{view === 'done' ? c('cbOutcome') : c('cbActions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((cb) => {
                const late = cb.status === 'pending' && Date.parse(cb.dueAt) < now - 5 * 60_000;
                return (
                  <Table.Tr key={cb.id} data-late={late || undefined}>
                    <Table.Td>
                      <Stack gap={2} align="flex-start">
                        <time dateTime={cb.dueAt}>{formatDateTime(cb.dueAt, lang, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })}</time>
                        {late && (
                          <Badge color="red" variant="light" size="sm">
                            {c('cbLate')}
                          </Badge>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Text fw={700} size="sm">
                        {cb.contact.name}
                      </Text>
                      <Anchor href={`tel:${cb.phone}`} size="sm" aria-label={c('cbCall', { phone: spacedPhone(cb.phone) })}>
                        {spacedPhone(cb.phone)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{cb.ticket ? <Link to={`/console/demandes/${cb.ticket.number}`}>{cb.ticket.number}</Link> : c('cbNoTicket')}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{cb.reason || '—'}</Text>
                      <Text size="xs" c="dimmed">
                        {c('cbSource')} : {source(cb.source)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{cb.owner?.name ?? <Text span size="sm" c="dimmed">{c('cbNoOwner')}</Text>}</Table.Td>
                    <Table.Td>
                      {view === 'done' ? (
                        <Stack gap={2}>
                          <Text size="sm">{cb.outcome ? outcome(cb.outcome) : '—'}</Text>
                          {cb.note && (
                            <Text size="xs" c="dimmed">
                              {cb.note}
                            </Text>
                          )}
                        </Stack>
                      ) : (
                        <Group gap="xs" wrap="nowrap">
                          <Button
                            size="compact-md"
                            onClick={(e) => {
                              opener.current = e.currentTarget;
                              setClosing(cb);
                            }}
                            aria-label={c('cbMarkDoneFor', { name: cb.contact.name })}
                          >
                            {c('cbMarkDone')}
                          </Button>
                          {cb.owner?.id !== me.id && (
                            <Button size="compact-md" variant="default" onClick={() => void take(cb)} aria-label={c('cbTakeFor', { name: cb.contact.name })}>
                              {c('cbTake')}
                            </Button>
                          )}
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CompleteDialog
        callback={closing}
        onClose={() => {
          setClosing(null);
          refocus();
        }}
        onDone={(cb, o) => {
          setClosing(null);
          refocus();
          setAnnounce(c('cbSaved', { name: cb.contact.name, outcome: outcome(o) }));
          void load();
        }}
      />
    </Stack>
  );
}

/** "Marquer comme fait": the outcome of the call (required) and a note that goes on the request. */
function CompleteDialog({ callback, onClose, onDone }: { callback: CallbackView | null; onClose: () => void; onDone: (cb: CallbackView, outcome: Outcome) => void }) {
  const t = useT();
  const c = useChannelsT();
  const [outcome, setOutcome] = useState<Outcome>('reached');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setOutcome('reached');
    setNote('');
    setError(null);
  }, [callback?.id]);
  if (!callback) return null;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api.post(`/callbacks/${callback.id}/complete`, { outcome, ...(note.trim() ? { note: note.trim() } : {}) });
      onDone(callback, outcome);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('network'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={c('cbDialogTitle', { name: callback.contact.name })} closeButtonProps={{ 'aria-label': t('close') }}>
      <form onSubmit={submit}>
        <Stack gap="md">
          <Radio.Group label={c('cbOutcomeLegend')} value={outcome} onChange={(v) => setOutcome(v as Outcome)}>
            <Stack gap="xs" mt="xs">
              {OUTCOMES.map((o, i) => (
                // The dialog opens on the first answer rather than on its close button.
                <Radio key={o} value={o} label={c(`outcome_${o}` as ChannelsKey)} data-autofocus={i === 0 || undefined} />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea label={c('cbNote')} description={c('cbNoteHint')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} maxLength={5000} />
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {c('cbSave')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
