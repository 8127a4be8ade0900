import { Alert, Badge, Button, Grid, Group, Paper, Select, Stack, Tabs, Text, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError } from '../../shared/api';
import { formatDateTime, useLang } from '../../shared/i18n';
import { Link } from '../../shared/router';
import { useLabels } from '../labels';
import { useT } from '../messages';
import { debounce, useRealtime } from '../realtime';
import { can, useConsoleTitle, useSession } from '../session';
import { useShortcuts } from '../shortcuts';
import type { Message, Queue, Staff, Ticket, TicketEvent } from '../types';
import { TicketDialogs, type DialogKind } from './dialogs';
import { AttachmentsPanel, ChecklistPanel, ContactPanel, ProceduresPanel, SlaPanel, VerificationPanel } from './panels';
import { PresenceBar } from './PresenceBar';
import { usePresence } from './presence';
import { ReplyFiles, uploadReplyFiles, useFileProblems, type PickedReplyFile } from './ReplyFiles';
import { Timeline } from './Timeline';

type Visibility = 'public' | 'internal';

type Presence = ReturnType<typeof usePresence>;
/** What the server says arrived since the reply's marker (409 REPLY_CONFLICT). */
interface ArrivedMessage {
  id: string;
  author: { kind: string; name: string | null };
  channel: string;
  createdAt: string;
  excerpt: string;
}
type Collision = { kind: 'replied'; name: string; at: string } | { kind: 'typing'; name: string } | { kind: 'arrived'; messages: ArrivedMessage[]; more: boolean; latest: string };

/**
 * Reply or note. Before a reply goes out, it checks that no colleague answered the client
 * while this one was being written, or is writing one now: the client should not get two.
 */
function Composer({ ticket, onSent, tab, setTab, textRef, presence, messages, myId }: { ticket: Ticket; onSent: () => void; tab: Visibility; setTab: (v: Visibility) => void; textRef: React.RefObject<HTMLTextAreaElement | null>; presence: Presence; messages: Message[]; myId: string }) {
  const t = useT();
  const lang = useLang();
  const L = useLabels();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  // The messages already on the page when this draft began: anything newer was written meanwhile (no clock involved).
  const [draftSeen, setDraftSeen] = useState<Set<string> | null>(null);
  const seenNow = () => new Set(messages.map((m) => m.id));
  // The server's check (lastSeenMessageId): the latest message this agent had read, as the page showed them.
  const markerOf = (seen: Set<string> | null) => (seen ? messages.filter((m) => seen.has(m.id)) : messages).at(-1)?.id ?? null;
  const [collision, setCollision] = useState<Collision | null>(null);
  const collisionRef = useRef<HTMLDivElement>(null);
  const [files, setFiles] = useState<PickedReplyFile[]>([]);
  const fileProblems = useFileProblems()(ticket.channel, tab, files.map((f) => f.file));
  useEffect(() => {
    if (collision) collisionRef.current?.focus();
  }, [collision]);

  const collisionNow = (): Collision | null => {
    const replied = draftSeen && messages.filter((m) => m.visibility === 'public' && m.author.kind === 'staff' && m.author.id !== myId && !draftSeen.has(m.id)).at(-1);
    if (replied) return { kind: 'replied', name: replied.author.name ?? t('someone'), at: replied.createdAt };
    const writer = presence.viewers.find((v) => v.typing === 'public');
    return writer ? { kind: 'typing', name: writer.name } : null;
  };

  /**
   * `force`: sent after a warning was read, so what the page shows now counts as read; `marker`:
   * the fresh one the server gave with its refusal (what arrived, now read).
   */
  const send = async ({ force = false, marker }: { force?: boolean; marker?: string | null } = {}) => {
    if (!body.trim()) {
      setError(t('composeEmpty'));
      return;
    }
    if (tab === 'public' && !force) {
      const c = collisionNow();
      if (c) return setCollision(c);
    }
    setCollision(null);
    const lastSeenMessageId = marker !== undefined ? marker : markerOf(force ? null : draftSeen);
    if (fileProblems.length) return;
    setBusy(true);
    try {
      const attachmentIds = files.length ? await uploadReplyFiles(ticket.number, files, (key, id) => setFiles((list) => list.map((f) => (f.key === key ? { ...f, attachmentId: id } : f)))) : [];
      await api.post<Message>(`/tickets/${ticket.number}/messages`, { body: body.trim(), visibility: tab, ...(attachmentIds.length ? { attachmentIds } : {}), ...(tab === 'public' ? { lastSeenMessageId } : {}) });
      setFiles([]);
      setBody('');
      setDraftSeen(null);
      presence.stopTyping();
      setError(null);
      setDone(tab === 'public' ? t('replySent') : t('noteSaved'));
      onSent();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'REPLY_CONFLICT' && err.details) {
        // Nothing was sent: show what arrived (the timeline reloads with it) and let the agent decide.
        const d = err.details as { messages: ArrivedMessage[]; more: boolean; latestMessageId: string };
        setCollision({ kind: 'arrived', messages: d.messages, more: d.more, latest: d.latestMessageId });
        setError(null);
        onSent();
      } else setError(err instanceof ApiError ? err.message : t('network'));
    } finally {
      setBusy(false);
    }
  };
  const arrivedLine = (m: ArrivedMessage) => {
    const at = formatDateTime(m.createdAt, lang, { timeStyle: 'short' });
    return m.author.kind === 'staff' ? t('conflictFromStaff', { name: m.author.name ?? t('someone'), at }) : t('conflictFromClient', { at, channel: L.channel(m.channel) });
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="composer-title">
      <Title order={2} size="h4" id="composer-title" mb="xs">
        {t('composeTitle')}
      </Title>
      <Tabs value={tab} onChange={(v) => setTab((v as Visibility) ?? 'public')} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="public">{t('tabReply')}</Tabs.Tab>
          <Tabs.Tab value="internal">{t('tabNote')}</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <Stack gap="xs">
          <Textarea
            ref={textRef}
            label={tab === 'public' ? t('replyLabel') : t('noteLabel')}
            description={tab === 'public' ? t('replyHint') : t('noteHint')}
            value={body}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setBody(value);
              if (value.trim()) {
                if (draftSeen === null) setDraftSeen(seenNow());
                presence.keystroke(tab);
              } else {
                setDraftSeen(null);
                presence.stopTyping();
              }
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void send();
              }
            }}
            autosize
            minRows={3}
            error={error ?? undefined}
          />
          <ReplyFiles ticket={ticket} visibility={tab} files={files} onChange={setFiles} problems={fileProblems} />
          {collision && (
            <Alert ref={collisionRef} tabIndex={-1} color="orange" variant="light" role="alert" title={collision.kind === 'arrived' ? t('conflictTitle') : t('collisionTitle')} className="collision-alert">
              {collision.kind === 'arrived' ? (
                <>
                  <Text size="sm">{t('conflictIntro')}</Text>
                  <ul className="conflict-messages">
                    {collision.messages.map((m) => (
                      <li key={m.id}>
                        <Text size="sm" span fw={700}>
                          {arrivedLine(m)}
                        </Text>
                        <Text size="sm">«{'\u00a0'}{m.excerpt}{'\u00a0'}»</Text>
                      </li>
                    ))}
                  </ul>
                  {collision.more && (
                    <Text size="sm" mb="xs">
                      {t('conflictMore')}
                    </Text>
                  )}
                </>
              ) : (
                <Text size="sm" mb="xs">
                  {collision.kind === 'replied'
                    ? t('collisionReplied', { name: collision.name, at: formatDateTime(collision.at, lang, { timeStyle: 'short' }) })
                    : t('collisionTyping', { name: collision.name })}
                </Text>
              )}
              <Group gap="xs">
                <Button size="compact-md" color="orange" onClick={() => void send(collision.kind === 'arrived' ? { force: true, marker: collision.latest } : { force: true })} loading={busy}>
                  {t('collisionSendAnyway')}
                </Button>
                <Button
                  size="compact-md"
                  variant="default"
                  onClick={() => {
                    // The draft now counts from here: what the colleague or the client wrote has been seen.
                    setDraftSeen(new Set([...seenNow(), ...(collision.kind === 'arrived' ? collision.messages.map((m) => m.id) : [])]));
                    setCollision(null);
                    textRef.current?.focus();
                  }}
                >
                  {t('collisionWait')}
                </Button>
              </Group>
            </Alert>
          )}
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {t('composeShortcut')}
            </Text>
            <Button type="submit" loading={busy} color={tab === 'internal' ? 'orange' : undefined}>
              {tab === 'public' ? t('sendReply') : t('saveNote')}
            </Button>
          </Group>
          <p role="status" className="visually-hidden">
            {done}
          </p>
        </Stack>
      </form>
    </Paper>
  );
}

export default function TicketPage({ reference }: { reference: string }) {
  const t = useT();
  const lang = useLang();
  const L = useLabels();
  const { me } = useSession();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [events, setEvents] = useState<TicketEvent[]>([]);
  const [messages, setMessages] = useState<Message[]>([]);
  const [staff, setStaff] = useState<Staff[]>([]);
  const [queues, setQueues] = useState<Queue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [tab, setTab] = useState<Visibility>('public');
  const [actionError, setActionError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [dismissedNote, setDismissedNote] = useState(false);
  const dismissedRef = useRef<HTMLDivElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const canWork = can.work(me);
  const presence = usePresence(ticket?.id ?? null, me.id);
  useConsoleTitle(ticket ? `${ticket.number} — ${ticket.subject}` : reference);

  const seq = useRef(0);
  const load = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const [tk, ev, ms] = await Promise.all([
        api.get<Ticket>(`/tickets/${encodeURIComponent(reference)}`),
        api.get<{ items: TicketEvent[] }>(`/tickets/${encodeURIComponent(reference)}/events`),
        api.get<{ items: Message[] }>(`/tickets/${encodeURIComponent(reference)}/messages`),
      ]);
      if (mine !== seq.current) return; // a newer load is on its way
      setTicket(tk);
      setEvents(ev.items);
      setMessages(ms.items);
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('network'));
    }
  }, [reference]);  

  useEffect(() => {
    setTicket(null);
    setDismissedNote(false);
    void load();
  }, [load]);
  // The button that opened the dialog left with the banner: the keyboard goes to the confirmation in its place.
  useEffect(() => {
    if (dismissedNote) requestAnimationFrame(() => dismissedRef.current?.focus());
  }, [dismissedNote]);
  useEffect(() => {
    api
      .get<{ items: Staff[] }>('/staff')
      .then((r) => setStaff(r.items))
      .catch(() => undefined);
    api
      .get<{ items: Queue[] }>('/queues')
      .then((r) => setQueues(r.items))
      .catch(() => undefined);
  }, []);

  const reload = useMemo(() => debounce(() => void load(), 200), [load]);
  useRealtime((m) => {
    if (m.type === 'hello') reload();
    if (m.type === 'ticket.event' && ticket && m.event.ticketId === ticket.id) {
      reload();
      setAnnounce(t('ticketUpdated'));
    }
  });

  const focusComposer = (v: Visibility) => {
    setTab(v);
    requestAnimationFrame(() => textRef.current?.focus());
  };
  const assign = async (assigneeId: string | null) => {
    if (!ticket) return;
    try {
      setTicket(await api.post<Ticket>(`/tickets/${ticket.number}/assign`, { assigneeId }));
      setActionError(null);
      void load();
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : t('network'));
    }
  };

  useShortcuts(
    canWork
      ? {
          r: () => focusComposer('public'),
          n: () => focusComposer('internal'),
          p: () => ticket && ticket.assignee?.id !== me.id && void assign('me'),
          q: () => setDialog('qualify'),
          s: () => setDialog('status'),
          e: () => setDialog('escalate'),
        }
      : {},
  );

  if (error && !ticket) {
    return (
      <Stack>
        <Title order={1}>{reference}</Title>
        <Alert color="red" role="alert">
          {error}
        </Alert>
        <Link to="/console">{t('viewMine')}</Link>
      </Stack>
    );
  }
  if (!ticket) return <p role="status">{t('loading')}</p>;

  const assignable = staff.filter((s) => s.active && s.role !== 'admin');
  const applied = events.filter((e) => e.type === 'procedure.applied').map((e) => ({ slug: String(e.data.slug ?? ''), title: String(e.data.title ?? e.data.slug ?? '') }));
  const done = ['resolved', 'closed'].includes(ticket.status);

  return (
    <Stack gap="md">
      <div>
        <Group gap="xs" mb={4}>
          <Badge color="gray" variant="light">
            {L.channel(ticket.channel)}
          </Badge>
          <Badge variant="light">{L.status(ticket.status)}</Badge>
          <Badge color="violet" variant="light">
            {L.levelShort(ticket.level)}
          </Badge>
          <Badge color={ticket.priority === 'critical' || ticket.priority === 'high' ? 'orange' : 'gray'} variant="light">
            {t('priorityBadge', { priority: L.priority(ticket.priority) })}
          </Badge>
          {ticket.cyberEmergency && (
            <Badge color="red" variant="filled">
              {t('cyberBadge')}
            </Badge>
          )}
        </Group>
        <Title order={1}>
          {ticket.number} — {ticket.subject}
        </Title>
        <Text size="sm" c="dimmed">
          {t('ticketMeta', { queue: ticket.queue.name, type: L.type(ticket.type), category: ticket.category ? L.category(ticket.category) : '—', created: formatDateTime(ticket.createdAt, lang) })}
        </Text>
      </div>
      <PresenceBar viewers={presence.viewers} />
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>

      {ticket.cyberEmergency && (
        <div className="emergency-banner" role="alert">
          <strong>{t('cyberActive', { at: ticket.cyberEmergencyAt ? formatDateTime(ticket.cyberEmergencyAt, lang, { timeStyle: 'short' }) : '' })}</strong>
          <div>{t('cyberActiveHelp')}</div>
        </div>
      )}
      {ticket.possibleEmergency && !ticket.cyberEmergency && !done && (
        // Shown from the start, not an interruption: a named region rather than Mantine's role="alert".
        <Alert color="red" variant="light" title={t('possibleEmergencyTitle')} component="section" role="region" aria-label={t('possibleEmergencyTitle')}>
          <Text size="sm">{t('possibleEmergencyHelp')}</Text>
          <ul className="possible-emergency-reasons">
            {ticket.possibleEmergency.reasons.map((r) => (
              <li key={r.code}>
                {r.label}
                {r.excerpt ? ` : «\u00a0${r.excerpt}\u00a0»` : ''}
              </li>
            ))}
          </ul>
          {canWork && can.dismissPossibleEmergency(me) && (
            <Button variant="default" mt="xs" onClick={() => setDialog('dismiss')}>
              {t('notAnEmergency')}
            </Button>
          )}
        </Alert>
      )}
      {dismissedNote && !ticket.possibleEmergency && (
        <Alert ref={dismissedRef} tabIndex={-1} color="green" variant="light" role="status" withCloseButton closeButtonLabel={t('dismiss')} onClose={() => setDismissedNote(false)}>
          {t('dismissDone')}
        </Alert>
      )}
      {ticket.policyHolds.map((h) => (
        <Alert key={h.code} color="orange" variant="light" title={t('policyHold')}>
          {h.message}
        </Alert>
      ))}
      {ticket.vendor && (
        <Alert color="gray" variant="light" title={t('vendorTitle')}>
          {ticket.vendor.name}
          {ticket.vendor.reference ? ` — ${t('vendorRef', { ref: ticket.vendor.reference })}` : ''}
        </Alert>
      )}

      {canWork && (
        <Paper withBorder p="sm" radius="md" component="section" aria-label={t('actions')}>
          <Group gap="xs" wrap="wrap">
            {ticket.assignee?.id !== me.id && !done && (
              <Button onClick={() => void assign('me')} aria-keyshortcuts="p">
                {t('take')}
              </Button>
            )}
            <Select
              aria-label={t('assignTo')}
              placeholder={ticket.assignee ? t('assignedTo', { name: ticket.assignee.name }) : t('assignTo')}
              data={assignable.map((s) => ({ value: s.id, label: `${s.name}${s.level ? ` (${L.levelShort(s.level)})` : ''}` }))}
              value={null}
              onChange={(v) => v && void assign(v)}
              searchable
              w={240}
            />
            {ticket.assignee && (
              <Button variant="default" onClick={() => void assign(null)}>
                {t('release')}
              </Button>
            )}
            <Button variant="default" onClick={() => setDialog('qualify')} aria-keyshortcuts="q">
              {t('qualify')}
            </Button>
            <Button variant="default" onClick={() => setDialog('status')} aria-keyshortcuts="s">
              {t('changeStatus')}
            </Button>
            {!done && (
              <Button variant="default" onClick={() => setDialog('escalate')} aria-keyshortcuts="e">
                {t('escalate')}
              </Button>
            )}
            {!ticket.cyberEmergency && !done && (
              <Button color="red" className="red-button" onClick={() => setDialog('red')}>
                {t('redButton')}
              </Button>
            )}
          </Group>
          {actionError && (
            <Text c="red.8" size="sm" mt="xs" role="alert">
              {actionError}
            </Text>
          )}
        </Paper>
      )}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <ChecklistPanel ticket={ticket} onChange={setTicket} canEdit={canWork} procedures={applied.map((p) => p.title)} />
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="desc-title">
              <Title order={2} size="h4" id="desc-title" mb="xs">
                {t('description')}
              </Title>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{ticket.description || '—'}</Text>
            </Paper>
            <section aria-labelledby="timeline-title">
              <Title order={2} size="h4" id="timeline-title" mb="xs">
                {t('timeline')}
              </Title>
              <Timeline events={events} messages={messages} staff={staff} ticketNumber={ticket.number} clientName={ticket.contact?.name} />
            </section>
            {canWork && <Composer ticket={ticket} onSent={() => void load()} tab={tab} setTab={setTab} textRef={textRef} presence={presence} messages={messages} myId={me.id} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            {ticket.verificationCode && <VerificationPanel code={ticket.verificationCode} />}
            <SlaPanel ticket={ticket} />
            <ContactPanel ticket={ticket} />
            <ProceduresPanel ticket={ticket} canApply={canWork} onApplied={setTicket} applied={applied.map((p) => p.slug)} />
            <AttachmentsPanel ticket={ticket} canEdit={canWork} />
          </Stack>
        </Grid.Col>
      </Grid>
      {canWork && (
        <TicketDialogs
          kind={dialog}
          ticket={ticket}
          queues={queues}
          onClose={() => setDialog(null)}
          onDone={(tk) => {
            if (dialog === 'dismiss') setDismissedNote(true);
            setTicket(tk);
            void load();
          }}
        />
      )}
    </Stack>
  );
}
