import { Alert, Autocomplete, Button, Group, Modal, Radio, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { categoryFromWords, categoryLabel, isKnownCategory, TICKET_CATEGORIES } from '../../../../common/src/categories';
import { TICKET_PRIORITIES, TICKET_TYPES, TRANSITIONS, type TicketPriority, type TicketStatus, type TicketType } from '../../../../common/src/tickets';
import { api, ApiError } from '../../shared/api';
import { useLang, type Lang } from '../../shared/i18n';
import { useLabels } from '../labels';
import { useT } from '../messages';
import type { Queue, Ticket } from '../types';

export type DialogKind = 'qualify' | 'status' | 'escalate' | 'red' | 'dismiss' | null;

/** The ticket categories offered by name; what is typed or picked is saved as its slug (categoryFromWords). */
export function categorySuggestions(lang: Lang): string[] {
  return TICKET_CATEGORIES.map((c) => categoryLabel(c, lang));
}

/** A ticket's category as the field shows it: a known one by its name, any other as it was typed. */
export function categoryInField(category: string | null, lang: Lang): string {
  return category ? (isKnownCategory(category) ? categoryLabel(category, lang) : category) : '';
}

interface Props {
  ticket: Ticket;
  onClose: () => void;
  onDone: (t: Ticket) => void;
}

function useSubmit(onDone: (t: Ticket) => void, onClose: () => void) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (call: () => Promise<Ticket>) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await call());
      onClose();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('network'));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

function ErrorLine({ error }: { error: string | null }) {
  const t = useT();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" role="alert" title={t('actionFailed')}>
      {error}
    </Alert>
  );
}

/** Qualify: type, category, priority, level, queue, subject; only what changed is sent. */
export function QualifyDialog({ ticket, queues, onClose, onDone }: Props & { queues: Queue[] }) {
  const t = useT();
  const L = useLabels();
  const [type, setType] = useState<TicketType>(ticket.type);
  const lang = useLang();
  const [category, setCategory] = useState(() => categoryInField(ticket.category, lang));
  const [priority, setPriority] = useState<TicketPriority>(ticket.priority);
  const [level, setLevel] = useState(String(ticket.level));
  const [queue, setQueue] = useState(ticket.queue.slug);
  const [subject, setSubject] = useState(ticket.subject);
  const { error, busy, run } = useSubmit(onDone, onClose);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    if (type !== ticket.type) body.type = type;
    const chosen = categoryFromWords(category);
    if (chosen !== ticket.category) body.category = chosen;
    if (priority !== ticket.priority) body.priority = priority;
    if (Number(level) !== ticket.level) body.level = Number(level);
    if (queue !== ticket.queue.slug) body.queue = queue;
    if (subject.trim() && subject.trim() !== ticket.subject) body.subject = subject.trim();
    // Confirming the proposed qualification as it is still counts: send the type.
    if (!Object.keys(body).length) body.type = type;
    void run(() => api.post<Ticket>(`/tickets/${ticket.number}/qualify`, body));
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <ErrorLine error={error} />
        <TextInput label={t('field_subject')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} data-autofocus />
        <Select label={t('field_type')} data={TICKET_TYPES.map((x) => ({ value: x, label: L.type(x) }))} value={type} onChange={(v) => v && setType(v as TicketType)} allowDeselect={false} />
        <Autocomplete label={t('field_category')} data={categorySuggestions(lang)} value={category} onChange={setCategory} />
        <Select label={t('field_priority')} data={TICKET_PRIORITIES.map((x) => ({ value: x, label: L.priority(x) }))} value={priority} onChange={(v) => v && setPriority(v as TicketPriority)} allowDeselect={false} />
        <Select label={t('field_level')} data={['1', '2', '3'].map((x) => ({ value: x, label: L.level(Number(x)) }))} value={level} onChange={(v) => v && setLevel(v)} allowDeselect={false} />
        <Select label={t('field_queue')} data={queues.filter((q) => q.active).map((q) => ({ value: q.slug, label: q.name }))} value={queue} onChange={(v) => v && setQueue(v)} allowDeselect={false} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('qualifySubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Only the changes the workflow allows from the current status (common/src/tickets.ts TRANSITIONS). */
export function StatusDialog({ ticket, onClose, onDone }: Props) {
  const t = useT();
  const L = useLabels();
  const allowed = TRANSITIONS[ticket.status];
  const [to, setTo] = useState<string | null>(allowed[0] ?? null);
  const [reason, setReason] = useState('');
  const { error, busy, run } = useSubmit(onDone, onClose);
  if (!allowed.length) return <Text>{t('statusFinal')}</Text>;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!to) return;
    void run(() => api.post<Ticket>(`/tickets/${ticket.number}/status`, { status: to as TicketStatus, ...(reason.trim() ? { reason: reason.trim() } : {}) }));
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <ErrorLine error={error} />
        <Text size="sm">{t('statusCurrent', { status: L.status(ticket.status) })}</Text>
        <Radio.Group label={t('statusNew')} value={to ?? ''} onChange={setTo}>
          <Stack gap={6} mt={6}>
            {allowed.map((s, i) => (
              <Radio key={s} value={s} label={L.status(s)} data-autofocus={i === 0 || undefined} />
            ))}
          </Stack>
        </Radio.Group>
        <Textarea label={t('statusReason')} description={t('statusReasonHint')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('statusSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Escalate to level 2, level 3, or the software publisher (name and their reference). */
export function EscalateDialog({ ticket, onClose, onDone }: Props) {
  const t = useT();
  const options = [...(ticket.level < 2 ? ['2'] : []), ...(ticket.level < 3 ? ['3'] : []), 'vendor'];
  const [to, setTo] = useState(options[0]!);
  const [reason, setReason] = useState('');
  const [vendor, setVendor] = useState(ticket.vendor?.name ?? '');
  const [reference, setReference] = useState(ticket.vendor?.reference ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const { error, busy, run } = useSubmit(onDone, onClose);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (reason.trim().length < 3) return setProblem(t('escalateReasonMissing'));
    if (to === 'vendor' && !vendor.trim()) return setProblem(t('escalateVendorMissing'));
    setProblem(null);
    const body = {
      to: to === 'vendor' ? 'vendor' : Number(to),
      reason: reason.trim(),
      ...(to === 'vendor' ? { vendor: { name: vendor.trim(), ...(reference.trim() ? { reference: reference.trim() } : {}) } } : {}),
    };
    void run(() => api.post<Ticket>(`/tickets/${ticket.number}/escalate`, body));
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorLine error={error ?? problem} />
        <Radio.Group label={t('escalateTo')} value={to} onChange={setTo}>
          <Stack gap={6} mt={6}>
            {options.map((o, i) => (
              <Radio key={o} value={o} label={o === 'vendor' ? t('escalateVendor') : t('escalateLevel', { level: o })} data-autofocus={i === 0 || undefined} />
            ))}
          </Stack>
        </Radio.Group>
        <Textarea label={t('escalateReason')} description={t('escalateReasonHint')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={3} required />
        {to === 'vendor' && (
          <>
            <TextInput label={t('vendorName')} value={vendor} onChange={(e) => setVendor(e.currentTarget.value)} required />
            <TextInput label={t('vendorReference')} description={t('vendorReferenceHint')} value={reference} onChange={(e) => setReference(e.currentTarget.value)} />
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('escalateSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The red button: asks once, then the ticket goes to level 3 at once with its checklist. */
export function RedButtonDialog({ ticket, onClose, onDone }: Props) {
  const t = useT();
  const [note, setNote] = useState('');
  const { error, busy, run } = useSubmit(onDone, onClose);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => api.post<Ticket>(`/tickets/${ticket.number}/cyber-emergency`, note.trim() ? { note: note.trim() } : {}));
      }}
    >
      <Stack gap="sm">
        <ErrorLine error={error} />
        <Text>{t('redConfirmText')}</Text>
        <ul style={{ margin: 0 }}>
          <li>{t('redConfirm1')}</li>
          <li>{t('redConfirm2')}</li>
          <li>{t('redConfirm3')}</li>
        </ul>
        <Textarea label={t('redNote')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            {t('cancel')}
          </Button>
          <Button type="submit" color="red" loading={busy} className="red-button">
            {t('redConfirmSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** "Not an emergency": the reason is asked for, and kept in the timeline with the agent's name. */
export function DismissEmergencyDialog({ ticket, onClose, onDone }: Props) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const { error, busy, run } = useSubmit(onDone, onClose);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (reason.trim().length < 3) {
      // Back on the field, whose error is read with its label.
      setProblem(t('dismissReasonMissing'));
      reasonRef.current?.focus();
      return;
    }
    setProblem(null);
    void run(() => api.post<Ticket>(`/tickets/${ticket.number}/possible-emergency/dismiss`, { reason: reason.trim() }));
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorLine error={error} />
        <Text>{t('dismissText')}</Text>
        <Textarea
          ref={reasonRef}
          label={t('dismissReason')}
          description={t('dismissReasonHint')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={problem ?? undefined}
          autosize
          minRows={2}
          maxLength={500}
          required
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('dismissSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function TicketDialogs({ kind, ticket, queues, onClose, onDone }: { kind: DialogKind; ticket: Ticket; queues: Queue[]; onClose: () => void; onDone: (t: Ticket) => void }) {
  const t = useT();
  const [shown, setShown] = useState<DialogKind>(kind);
  useEffect(() => {
    if (kind) setShown(kind);
  }, [kind]);
  const titles: Record<Exclude<DialogKind, null>, string> = {
    qualify: t('qualifyTitle'),
    status: t('statusTitle'),
    escalate: t('escalateTitle'),
    red: t('redTitle'),
    dismiss: t('dismissTitle'),
  };
  return (
    <Modal opened={!!kind} onClose={onClose} title={shown ? titles[shown] : ''} size="lg" closeButtonProps={{ 'aria-label': t('close') }}>
      {kind === 'qualify' && <QualifyDialog ticket={ticket} queues={queues} onClose={onClose} onDone={onDone} />}
      {kind === 'status' && <StatusDialog ticket={ticket} onClose={onClose} onDone={onDone} />}
      {kind === 'escalate' && <EscalateDialog ticket={ticket} onClose={onClose} onDone={onDone} />}
      {kind === 'red' && <RedButtonDialog ticket={ticket} onClose={onClose} onDone={onDone} />}
      {kind === 'dismiss' && <DismissEmergencyDialog ticket={ticket} onClose={onClose} onDone={onDone} />}
    </Modal>
  );
}
