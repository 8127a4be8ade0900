import { Anchor, Badge, Checkbox, FileButton, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, ApiError, query, request } from '../../shared/api';
import { formatDateTime, useLang } from '../../shared/i18n';
import { Link } from '../../shared/router';
import { relative, slaState, useLabels } from '../labels';
import { useT } from '../messages';
import { spacedPhone } from '../phone-format';
import type { Attachment, Ticket } from '../types';

export function Panel({ title, children, id, tone }: { title: string; children: React.ReactNode; id: string; tone?: 'red' }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id} style={tone === 'red' ? { borderColor: 'var(--mantine-color-red-7)', borderWidth: 2 } : undefined}>
      <Title order={2} size="h4" id={id} mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** First response and resolution clocks; re-rendered every 30 s so "dans 12 min" stays true. */
export function SlaPanel({ ticket }: { ticket: Ticket }) {
  const t = useT();
  const lang = useLang();
  const [, tick] = useState(0);
  useEffect(() => {
    const i = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(i);
  }, []);
  const s = ticket.sla;
  const state = slaState(ticket);
  const clock = (label: string, due: string | null, done: string | null, breached: boolean) => (
    <div>
      <Text size="sm" fw={700}>
        {label}
      </Text>
      {done ? (
        <Text size="sm">{t('slaDoneAt', { at: formatDateTime(done, lang, { dateStyle: 'short', timeStyle: 'short' }) })}</Text>
      ) : due ? (
        <Text size="sm" className={breached || Date.parse(due) < Date.now() ? 'sla-breached' : Date.parse(due) - Date.now() < 3600_000 ? 'sla-soon' : undefined}>
          {formatDateTime(due, lang, { dateStyle: 'short', timeStyle: 'short' })} ({relative(due, lang)})
        </Text>
      ) : (
        <Text size="sm">—</Text>
      )}
    </div>
  );
  return (
    <Panel title={t('slaTitle')} id="panel-sla">
      <Stack gap="xs">
        {s.paused && (
          <Badge color="gray" variant="light">
            {t('slaPaused')}
          </Badge>
        )}
        {state.state === 'breached' && (
          <Badge color="red" variant="filled">
            {t('slaBreached')}
          </Badge>
        )}
        {clock(t('slaFirstResponse'), s.firstResponseDueAt, s.firstRespondedAt, s.firstResponseBreached)}
        {clock(t('slaResolution'), s.resolutionDueAt, ticket.resolvedAt, s.resolutionBreached)}
      </Stack>
    </Panel>
  );
}

/** "Est-ce vraiment mon conseiller ?": the code the client sees on their request page today. */
export function VerificationPanel({ code }: { code: string }) {
  const t = useT();
  return (
    <Panel title={t('verifyTitle')} id="panel-verify">
      <Text className="verification-code">{code}</Text>
      <Text size="sm">{t('verifyHelp')}</Text>
    </Panel>
  );
}

export function ContactPanel({ ticket }: { ticket: Ticket }) {
  const t = useT();
  const L = useLabels();
  const lang = useLang();
  const c = ticket.contact;
  const [others, setOthers] = useState<Ticket[] | null>(null);
  useEffect(() => {
    api
      .get<{ items: Ticket[] }>(`/tickets${query({ contactId: ticket.contactId, limit: 20 })}`)
      .then((r) => setOthers(r.items.filter((x) => x.id !== ticket.id)))
      .catch(() => setOthers([]));
  }, [ticket.contactId, ticket.id]);
  if (!c) return null;
  return (
    <Panel title={t('contactTitle')} id="panel-contact">
      <Stack gap={4}>
        <Text fw={700}>{c.name}</Text>
        {c.phones.map((p) => (
          <Anchor key={p} href={`tel:${p.replace(/[^\d+]/g, '')}`} size="sm">
            {spacedPhone(p)}
          </Anchor>
        ))}
        {c.emails.map((e) => (
          <Anchor key={e} href={`mailto:${e}`} size="sm">
            {e}
          </Anchor>
        ))}
        {c.whatsappId && <Text size="sm">{t('whatsappId', { id: spacedPhone(`+${c.whatsappId.replace(/^\+/, '')}`) })}</Text>}
        {c.preferredChannel && <Text size="sm">{t('preferredChannel', { channel: L.channel(c.preferredChannel) })}</Text>}
        {c.trainedOn.length > 0 && <Text size="sm">{t('trainedOn', { list: c.trainedOn.join(', ') })}</Text>}
        {c.auditCompletedAt && <Text size="sm">{t('auditDone', { at: formatDateTime(c.auditCompletedAt, lang, { dateStyle: 'short' }) })}</Text>}
        {c.notes && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {c.notes}
          </Text>
        )}
      </Stack>
      <Title order={3} size="h5" mt="md" mb={4}>
        {t('otherTickets')}
      </Title>
      {others === null ? (
        <Text size="sm">{t('loading')}</Text>
      ) : others.length === 0 ? (
        <Text size="sm">{t('noOtherTickets')}</Text>
      ) : (
        <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
          {others.map((o) => (
            <li key={o.id}>
              <Text size="sm">
                <Link to={`/console/demandes/${o.number}`}>{o.number}</Link> — {o.subject} ({L.status(o.status)})
              </Text>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

/** The red button's first instructions, ticked as the agent reads them to the client. */
export function ChecklistPanel({ ticket, onChange, canEdit, procedures = [] }: { ticket: Ticket; onChange: (t: Ticket) => void; canEdit: boolean; procedures?: string[] }) {
  const t = useT();
  const items = [...(ticket.checklist ?? [])].sort((a, b) => Number(b.kind === 'first_instructions') - Number(a.kind === 'first_instructions') || a.position - b.position);
  const [error, setError] = useState<string | null>(null);
  // Ticked at once on screen while the server records it (the agent ticks several in a row).
  const [pending, setPending] = useState<Record<string, boolean>>({});
  if (!items.length) return null;
  const isChecked = (i: { id: string; checked: boolean }) => pending[i.id] ?? i.checked;
  const done = items.filter(isChecked).length;
  const toggle = async (id: string, checked: boolean) => {
    setPending((p) => ({ ...p, [id]: checked }));
    try {
      const saved = await api.patch<Ticket>(`/tickets/${ticket.number}/checklist/${id}`, { checked });
      setPending((p) => {
        const { [id]: _, ...rest } = p;
        return rest;
      });
      onChange(saved);
      setError(null);
    } catch (err) {
      setPending((p) => {
        const { [id]: _, ...rest } = p;
        return rest;
      });
      setError(err instanceof ApiError ? err.message : t('network'));
    }
  };
  return (
    <Panel title={items.some((i) => i.kind === 'first_instructions') ? t('checklistTitle') : procedures.length ? t('checklistProcedure', { titles: procedures.join(', ') }) : t('checklistOther')} id="panel-checklist" tone={ticket.cyberEmergency ? 'red' : undefined}>
      <Text size="sm" mb="xs">
        {t(items.some((i) => i.kind === 'first_instructions') ? 'checklistProgress' : 'checklistStepsProgress', { done, total: items.length })}
      </Text>
      {error && (
        <Text c="red.8" size="sm" role="alert">
          {error}
        </Text>
      )}
      <Stack gap="xs">
        {items.map((i) => (
          <Checkbox key={i.id} label={i.label} checked={isChecked(i)} disabled={!canEdit} onChange={(e) => void toggle(i.id, e.currentTarget.checked)} />
        ))}
      </Stack>
    </Panel>
  );
}

interface TriageResult {
  procedures: { slug: string; title: string; score: number; level: number | null; category: string }[];
  emergency?: { suspected: boolean; reasons: { code: string; label: string; excerpt: string }[] };
}

/**
 * "Procédures suggérées": GET /api/v1/tickets/:ref/suggestions reads the ticket's text and the
 * client's latest messages, so it is asked again whenever the ticket changes (a message arrives).
 * If it fails, nothing is shown: no made-up suggestions.
 */
/** `applied`: slugs of the procedures already on the ticket (applying one twice is refused). */
export function ProceduresPanel({ ticket, canApply, onApplied, applied = [] }: { ticket: Ticket; canApply: boolean; onApplied: (t: Ticket) => void; applied?: string[] }) {
  const t = useT();
  const L = useLabels();
  const [result, setResult] = useState<TriageResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    api
      .get<TriageResult>(`/tickets/${ticket.number}/suggestions`)
      .then((r) => !cancelled && setResult(Array.isArray(r?.procedures) ? r : null))
      .catch(() => !cancelled && setResult(null));
    return () => {
      cancelled = true;
    };
  }, [ticket.number, ticket.updatedAt]);
  if (!result || (!result.procedures.length && !result.emergency?.suspected)) return null;
  const apply = async (slug: string) => {
    try {
      onApplied(await api.post<Ticket>(`/tickets/${ticket.number}/procedures`, { slug }));
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('network'));
    }
  };
  return (
    <Panel title={t('proceduresTitle')} id="panel-procedures">
      {/* Said at the top of the page when the ticket carries it; here only when the words suggest it now. */}
      {result.emergency?.suspected && !ticket.cyberEmergency && !ticket.possibleEmergency && (
        <Text size="sm" c="red.8" fw={700} mb="xs">
          {t('triageEmergency', { reasons: result.emergency.reasons.map((r) => r.label).join(', ') })}
        </Text>
      )}
      {error && (
        <Text c="red.8" size="sm" role="alert">
          {error}
        </Text>
      )}
      <Stack gap="xs">
        {result.procedures.map((p) => (
          <Group key={p.slug} justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
            <div style={{ minWidth: 0 }}>
              <Text size="sm" fw={700}>
                {p.title}
              </Text>
              <Text size="xs" c="dimmed">
                {L.category(p.category)}
                {p.level ? ` · ${L.levelShort(p.level)}` : ''}
              </Text>
            </div>
            {applied.includes(p.slug) ? (
              <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
                {t('procedureApplied')}
              </Text>
            ) : canApply && (
              <Button size="compact-sm" variant="default" onClick={() => void apply(p.slug)} style={{ flex: 'none' }}>
                {t('applyProcedure')}
                <span className="visually-hidden"> {p.title}</span>
              </Button>
            )}
          </Group>
        ))}
      </Stack>
    </Panel>
  );
}

export function AttachmentsPanel({ ticket, canEdit }: { ticket: Ticket; canEdit: boolean }) {
  const t = useT();
  const lang = useLang();
  const [items, setItems] = useState<Attachment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () =>
    api
      .get<{ items: Attachment[] }>(`/tickets/${ticket.number}/attachments`)
      .then((r) => setItems(r.items))
      .catch(() => undefined);
  useEffect(() => void load(), [ticket.number, ticket.updatedAt]);  
  const upload = async (files: File[]) => {
    if (!files.length) return;
    const form = new FormData();
    files.forEach((f) => form.append('file', f, f.name));
    setBusy(true);
    try {
      await request('POST', `/tickets/${ticket.number}/attachments`, form);
      setError(null);
      await load();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('network'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel title={t('attachmentsTitle')} id="panel-attachments">
      {items.length === 0 ? (
        <Text size="sm">{t('noAttachments')}</Text>
      ) : (
        <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
          {items.map((a) => (
            <li key={a.id}>
              <Text size="sm">
                <Anchor href={`/api/v1/tickets/${ticket.number}/attachments/${a.id}`}>{a.filename}</Anchor> ({Math.max(1, Math.round(a.sizeBytes / 1024))} {lang === 'fr' ? 'ko' : 'KB'})
              </Text>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <Text c="red.8" size="sm" role="alert">
          {error}
        </Text>
      )}
      {canEdit && (
        <Group mt="xs">
          <FileButton onChange={(f) => void upload(f)} multiple accept="image/*,application/pdf,text/plain">
            {(props) => (
              <Button {...props} variant="default" size="xs" loading={busy}>
                {t('attach')}
              </Button>
            )}
          </FileButton>
        </Group>
      )}
    </Panel>
  );
}
