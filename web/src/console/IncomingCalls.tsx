import './channels.css';
import { Button, CloseButton, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Icon } from '../shared/icons';
import { Link } from '../shared/router';
import { spacedPhone } from './phone-format';
import { useChannelsT } from './channels-messages';
import { useRealtime } from './realtime';
import type { StaffNotification } from './types';

interface CallTicket {
  id: string;
  number: string;
  subject: string;
}

interface IncomingCall {
  callSid: string;
  from: string | null;
  contact: { id: string; name: string } | null;
  queue: { name: string } | null;
  ticket: CallTicket | null;
  tickets: CallTicket[];
  at: number;
}

/** A call nobody has heard about for this long has ended without its status reaching us. */
const STALE_MS = 15 * 60_000;

function fromNotification(n: StaffNotification): IncomingCall | null {
  const d = (n.data ?? {}) as Partial<IncomingCall> & { callSid?: string };
  if (!d.callSid) return null;
  return { callSid: d.callSid, from: d.from ?? null, contact: d.contact ?? null, queue: d.queue ?? null, ticket: d.ticket ?? null, tickets: d.tickets ?? [], at: Date.now() };
}

/**
 * Incoming phone calls, live (the Twilio voice webhooks' `call.*` notifications): who is calling
 * and their requests in progress while they listen to the menu; then, once they chose a queue,
 * only that queue's agents keep the call, with its request one click away. The card goes when
 * the call ends.
 */
export function IncomingCalls() {
  const t = useChannelsT();
  const [calls, setCalls] = useState<IncomingCall[]>([]);
  const [announce, setAnnounce] = useState('');

  useRealtime((m) => {
    if (m.type !== 'notification') return;
    const n = m.notification;
    if (n.kind === 'call.incoming' || n.kind === 'call.queued') {
      const call = fromNotification(n);
      if (!call) return;
      setCalls((list) => [call, ...list.filter((c) => c.callSid !== call.callSid)].slice(0, 4));
      if (n.kind === 'call.incoming') setAnnounce(t('callAnnounce', { name: call.contact?.name ?? call.from ?? t('callHidden') }));
    } else if (n.kind === 'call.routed' || n.kind === 'call.ended') {
      const sid = (n.data as { callSid?: string } | undefined)?.callSid;
      setCalls((list) => list.filter((c) => c.callSid !== sid));
    }
  });

  useEffect(() => {
    if (!calls.length) return;
    const timer = setInterval(() => setCalls((list) => list.filter((c) => Date.now() - c.at < STALE_MS)), 60_000);
    return () => clearInterval(timer);
  }, [calls.length]);

  return (
    <>
      <p className="visually-hidden" aria-live="assertive">
        {announce}
      </p>
      {calls.length > 0 && (
        <section className="incoming-calls" aria-label={t('callsRegion')}>
          {calls.map((call) => {
            const name = call.contact?.name ?? call.from ?? t('callHidden');
            const others = call.tickets.filter((x) => x.id !== call.ticket?.id);
            return (
              <article key={call.callSid} className="incoming-call" aria-labelledby={`call-${call.callSid}`}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <div>
                    <h2 id={`call-${call.callSid}`}>
                      <Icon name="phone" size={20} />
                      {t('callIncoming')} : {name}
                    </h2>
                    <Text size="sm">
                      {call.from ? spacedPhone(call.from) : t('callHidden')}
                      {call.from && !call.contact ? ` (${t('callUnknown')})` : ''}
                      {' · '}
                      {call.queue && call.ticket ? t('callQueued', { queue: call.queue.name, ticket: call.ticket.number }) : t('callInMenu')}
                    </Text>
                  </div>
                  <CloseButton aria-label={t('callDismiss', { name })} onClick={() => setCalls((list) => list.filter((c) => c.callSid !== call.callSid))} />
                </Group>
                {call.ticket && (
                  <Button component={Link} to={`/console/demandes/${call.ticket.number}`} size="compact-md" mt="xs">
                    {t('callOpenTicket', { number: call.ticket.number })}
                  </Button>
                )}
                {others.length > 0 ? (
                  <>
                    <Text size="sm" fw={600} mt="xs">
                      {t('callOpenTickets')}
                    </Text>
                    <ul>
                      {others.map((x) => (
                        <li key={x.id}>
                          <Link to={`/console/demandes/${x.number}`}>
                            {x.number} — {x.subject}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </>
                ) : (
                  !call.ticket && (
                    <Text size="sm" c="dimmed" mt={4}>
                      {t('callNoTickets')}
                    </Text>
                  )
                )}
              </article>
            );
          })}
        </section>
      )}
    </>
  );
}
