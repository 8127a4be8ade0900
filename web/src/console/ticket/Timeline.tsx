import { Badge, Group, Text } from '@mantine/core';
import type { TicketPriority, TicketType } from '../../../../common/src/tickets';
import { formatDateTime, useLang } from '../../shared/i18n';
import { callDuration, useLabels } from '../labels';
import { useChannelsT, type ChannelsKey } from '../channels-messages';
import { useT } from '../messages';
import type { Message, Staff, TicketEvent } from '../types';
import { DeliveryStatus } from './DeliveryStatus';
import { MessageFiles } from './MessageFiles';

type Item = { kind: 'event'; at: string; event: TicketEvent } | { kind: 'message'; at: string; message: Message };

// Messages are shown in full; their "added" events would repeat them.
const HIDDEN = new Set(['message.added', 'note.added', 'message.received', 'message.delivery_updated']);

const FIELDS = ['type', 'category', 'priority', 'level', 'queue', 'tags', 'subject'] as const;

const CALL_STATUSES = new Set(['busy', 'failed', 'no-answer', 'canceled']);

/** "Client joint" inside a sentence: "rappel fait : client joint" (names such as WhatsApp keep their capitals). */
const lowerFirst = (s: string) => (/\p{Lu}/u.test(s.slice(1)) ? s : s.charAt(0).toLocaleLowerCase() + s.slice(1));

/** One line per event, in the agent's language, from the event's data. */
function useDescribe(staff: Staff[]) {
  const t = useT();
  const c = useChannelsT();
  const L = useLabels();
  const lang = useLang();
  const name = (id: unknown) => (typeof id === 'string' ? (staff.find((s) => s.id === id)?.name ?? t('someone')) : t('nobody'));
  return (e: TicketEvent): string => {
    const d = e.data;
    switch (e.type) {
      case 'ticket.created':
        return t('evCreated', { channel: L.channel(String(d.channel ?? '')) });
      case 'ticket.assigned':
        return d.auto ? t('evAutoAssigned', { name: name(d.assigneeId) }) : t('evAssigned', { name: name(d.assigneeId) });
      case 'ticket.unassigned':
        return t('evUnassigned');
      case 'ticket.qualified': {
        const changes = (d.changes ?? {}) as Record<string, { from: unknown; to: unknown }>;
        const value = (k: string, v: unknown) => {
          if (v === null || v === undefined || v === '') return '—';
          if (k === 'priority') return L.priority(v as TicketPriority);
          if (k === 'type') return L.type(v as TicketType);
          if (k === 'level') return L.levelShort(Number(v));
          if (k === 'category') return L.category(String(v));
          return Array.isArray(v) ? v.join(', ') : String(v);
        };
        const parts = Object.entries(changes).map(([k, v]) => `${FIELDS.includes(k as (typeof FIELDS)[number]) ? t(`field_${k as (typeof FIELDS)[number]}`) : k} : ${value(k, v.from)} → ${value(k, v.to)}`);
        return t('evQualified', { changes: parts.join(' ; ') });
      }
      case 'ticket.status_changed':
        return t('evStatus', { from: L.status(String(d.from)), to: L.status(String(d.to)) }) + (d.reason ? ` — ${String(d.reason)}` : '');
      case 'ticket.escalated': {
        const vendor = d.vendor as { name?: string; reference?: string } | undefined;
        const to = d.to === 'vendor' ? t('evToVendor', { vendor: [vendor?.name, vendor?.reference].filter(Boolean).join(', ') }) : t('evToLevel', { level: String(d.to) });
        return `${t('evEscalated', { to })} — ${String(d.reason ?? '')}`;
      }
      case 'ticket.cyber_emergency':
        return t('evCyber') + (d.note ? ` — ${String(d.note)}` : '');
      // A procedure's steps are done; the red button's first instructions are given to the client.
      case 'checklist.item_checked':
        return t(d.kind === 'procedure' ? 'evStepChecked' : 'evChecked', { label: String(d.label ?? '') });
      case 'checklist.item_unchecked':
        return t(d.kind === 'procedure' ? 'evStepUnchecked' : 'evUnchecked', { label: String(d.label ?? '') });
      case 'procedure.applied':
        return t('evProcedureApplied', { title: String(d.title ?? d.slug ?? ''), version: String(d.version ?? '?'), steps: String(d.steps ?? '?') });
      case 'attachment.added':
        return t('evAttachment', { files: ((d.attachments as { filename: string }[] | undefined) ?? []).map((a) => a.filename).join(', ') });
      case 'sla.breached':
        return t('evSlaBreached');
      case 'supervisors.alerted':
        return t('evSupervisors');
      case 'triage.possible_emergency': {
        // The portal's urgent button, or the triage of the request's words (with its reasons).
        if (d.source === 'portal_urgent_button') return t('evPossibleEmergency');
        const reasons = ((d.reasons as { label?: string }[] | undefined) ?? []).map((r) => r.label).filter(Boolean);
        return t('evPossibleEmergencyTriage', { reasons: reasons.join(' ; ') || '—' });
      }
      case 'triage.possible_emergency_dismissed': {
        // Who said so is the line's author; what the triage had seen stays readable next to the reason.
        const previous = (d.previous as { reasons?: { label?: string }[] } | undefined)?.reasons ?? [];
        return t('evPossibleEmergencyDismissed', { reason: String(d.reason ?? ''), reasons: previous.map((r) => r.label).filter(Boolean).join(' ; ') || '—' });
      }
      case 'callback.requested':
        return c('evCallbackRequested', { source: lowerFirst(c(`source_${String(d.source)}` as ChannelsKey)), due: typeof d.dueAt === 'string' ? formatDateTime(d.dueAt, lang, { dateStyle: 'short', timeStyle: 'short' }) : '—' });
      case 'callback.completed':
        return c('evCallbackCompleted', { outcome: lowerFirst(c(`outcome_${String(d.outcome)}` as ChannelsKey)) }) + (d.note ? ` — ${String(d.note)}` : '');
      case 'callback.updated':
        return c('evCallbackUpdated');
      case 'rating.added':
      case 'satisfaction.rated':
        return t('evRated', { score: String(d.score ?? '') }) + (d.comment ? ` — «\u00a0${String(d.comment)}\u00a0»` : '');
      case 'notification.sent':
        return t('evNotificationSent') + (d.channel ? ` (${L.channel(String(d.channel))})` : '');
      case 'call.recorded': {
        const time = (v: unknown) => (typeof v === 'string' ? formatDateTime(v, lang, { timeStyle: 'short' }) : '?');
        const text = t(d.direction === 'outbound' ? 'evCallOutbound' : 'evCallInbound', { duration: callDuration(Number(d.durationSeconds ?? 0)), start: time(d.startedAt), end: time(d.endedAt) });
        return text + (d.note ? ` — ${String(d.note)}` : '');
      }
      case 'call.ended': {
        // Twilio's final statuses: only "completed" means someone answered.
        if (d.status === 'completed' || d.status == null) return t('evCallEnded', { duration: callDuration(Number(d.durationSeconds ?? 0)) });
        const status = String(d.status);
        return t('evCallNotConnected', { status: CALL_STATUSES.has(status) ? t(`callStatus_${status}` as Parameters<typeof t>[0]) : status });
      }
      case 'call.received':
        return t('evCallReceived');
      case 'voicemail.received':
        return t('evVoicemailReceived');
      case 'notification.failed':
        return t('evNotificationFailed') + (d.channel ? ` (${L.channel(String(d.channel))})` : '') + (d.error ? ` — ${String(d.error)}` : '');
      default:
        return e.type;
    }
  };
}

/** `clientName`: the ticket's contact, who sent the client's messages and photos. */
export function Timeline({ events, messages, staff, ticketNumber, clientName }: { events: TicketEvent[]; messages: Message[]; staff: Staff[]; ticketNumber?: string; clientName?: string }) {
  const t = useT();
  const c = useChannelsT();
  const lang = useLang();
  const L = useLabels();
  const describe = useDescribe(staff);
  const items: Item[] = [
    ...events.filter((e) => !HIDDEN.has(e.type)).map((event) => ({ kind: 'event' as const, at: event.createdAt, event })),
    ...messages.map((message) => ({ kind: 'message' as const, at: message.createdAt, message })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  return (
    <ol className="timeline" aria-label={t('timeline')}>
      {items.map((i) =>
        i.kind === 'event' ? (
          <li key={`e${i.event.id}`} className={i.event.type.startsWith('call.') ? 'timeline-event timeline-call' : 'timeline-event'}>
            {i.event.type.startsWith('call.') && (
              <Badge size="sm" color="relais" variant="light" mr={6}>
                {t('callBadge')}
              </Badge>
            )}
            <time dateTime={i.at}>{formatDateTime(i.at, lang, { dateStyle: 'short', timeStyle: 'short' })}</time> · {i.event.actor.name ?? (i.event.actor.kind === 'system' ? t('system') : t('client'))} — {describe(i.event)}
          </li>
        ) : (
          <li key={`m${i.message.id}`} className="timeline-message" data-visibility={i.message.visibility} data-from={i.message.author.kind}>
            <Group gap="xs" wrap="wrap">
              <Text fw={700} size="sm">
                {i.message.author.kind === 'staff' ? (i.message.author.name ?? t('someone')) : t('client')}
              </Text>
              <Badge size="sm" color={i.message.visibility === 'internal' ? 'orange' : i.message.author.kind === 'staff' ? 'relais' : 'green'} variant="light">
                {i.message.visibility === 'internal' ? t('internalNote') : i.message.author.kind === 'staff' ? t('sentToClient') : t('fromClient')}
              </Badge>
              <Badge size="sm" color="gray" variant="light">
                {L.channel(i.message.channel)}
              </Badge>
              <Text size="sm" c="dimmed">
                <time dateTime={i.at}>{formatDateTime(i.at, lang, { dateStyle: 'short', timeStyle: 'short' })}</time>
              </Text>
              {i.message.delivery && <DeliveryStatus delivery={i.message.delivery} />}
            </Group>
            <p>{i.message.body}</p>
            {ticketNumber && i.message.attachments && <MessageFiles ticketNumber={ticketNumber} files={i.message.attachments} sender={i.message.author.kind === 'staff' ? (i.message.author.name ?? t('someone')) : (clientName ?? c('photoByClient'))} />}
          </li>
        ),
      )}
    </ol>
  );
}
