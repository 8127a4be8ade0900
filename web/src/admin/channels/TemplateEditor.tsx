import { Alert, Anchor, Badge, Button, Group, Modal, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api';
import { Link } from '../../shared/router';
import { useT } from '../../console/messages';
import { useConsoleTitle } from '../../console/session';
import { ErrorAlert, ErrorSummary, useSaveAction, useUnsavedGuard } from '../admin-kit';
import { useChannelsAdminT } from './channels-admin-messages';
import { templateErrors, type TemplateErrors, type TemplateField } from './template-checks';
import { TemplatePreview } from './TemplatePreview';
import { templatesApi, type MessageTemplateView, type TemplateInput, type TemplateKey } from './templates-api';
import { useTemplateWords } from './template-words';
import { WhatsAppTemplateFields } from './WhatsAppTemplateFields';

const FIELD_ID: Record<TemplateField, string> = { subject: 'tpl-subject', text: 'tpl-text', waName: 'tpl-wa-name', waLanguage: 'tpl-wa-language', waParams: 'tpl-wa-params', waQuickReplies: 'tpl-wa-quick' };
/** The server names fields as it received them (`templates.resolved.whatsapp.params`). */
const SERVER_FIELD: Record<string, TemplateField> = { subject: 'subject', text: 'text', 'whatsapp.name': 'waName', 'whatsapp.language': 'waLanguage', 'whatsapp.params': 'waParams', 'whatsapp.quickReplies': 'waQuickReplies' };

const draftOf = (x: MessageTemplateView): TemplateInput => ({ subject: x.subject, text: x.text, whatsapp: x.whatsapp });
/** What is sent: no empty quick-reply list (the server keeps the field optional). */
function payloadOf(d: TemplateInput): TemplateInput {
  if (!d.whatsapp) return { subject: d.subject, text: d.text, whatsapp: null };
  const { quickReplies, ...wa } = d.whatsapp;
  return { subject: d.subject, text: d.text, whatsapp: quickReplies?.length ? { ...wa, quickReplies } : wa };
}

/** One client message: its words with the information to insert, its WhatsApp template, a live preview. */
export function TemplateEditor({ templateKey }: { templateKey: TemplateKey }) {
  const t = useChannelsAdminT();
  const tc = useT();
  const words = useTemplateWords();
  const [item, setItem] = useState<MessageTemplateView | null>(null);
  const [draft, setDraft] = useState<TemplateInput | null>(null);
  const [touched, setTouched] = useState<Partial<Record<TemplateField, boolean>>>({});
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<TemplateErrors>({});
  const [confirmReset, setConfirmReset] = useState(false);
  const { busy, error, setError, done, setDone, run, messageOf } = useSaveAction();
  const summaryRef = useRef<HTMLDivElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const lastField = useRef<'subject' | 'text'>('text');

  const apply = (items: MessageTemplateView[]) => {
    const x = items.find((i) => i.key === templateKey) ?? null;
    setItem(x);
    if (x) setDraft(draftOf(x));
    setTouched({});
    setAttempted(false);
    setServerErrors({});
  };
  useEffect(() => {
    templatesApi.list().then(apply, (err) => setError(messageOf(err)));
  }, [templateKey]);

  const name = words.name(templateKey);
  const live = item && draft ? templateErrors(t, draft, item.variables) : {};
  const shown: TemplateErrors = { ...Object.fromEntries(Object.entries(live).filter(([k]) => attempted || touched[k as TemplateField])), ...serverErrors };
  const summary = attempted ? (Object.entries(shown) as [TemplateField, string][]) : [];
  const dirty = !!item && !!draft && JSON.stringify(payloadOf(draft)) !== JSON.stringify(payloadOf(draftOf(item)));
  useUnsavedGuard(dirty, t('leaveConfirm'));
  useConsoleTitle(t('tplEditTitle', { name }), summary.length > 0 || !!error);

  const change = (patch: Partial<TemplateInput>, fields: TemplateField[]) => {
    setDraft((d) => (d ? { ...d, ...patch } : d));
    setDone('');
    setServerErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !fields.includes(k as TemplateField))));
  };

  /** Puts `{{v}}` where the cursor was in the field last used (inputs keep their selection when they lose focus). */
  const insert = (v: string) => {
    if (!draft) return;
    const which = lastField.current;
    const el = which === 'subject' ? subjectRef.current : textRef.current;
    const value = draft[which];
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? start;
    const token = `{{${v}}}`;
    change({ [which]: value.slice(0, start) + token + value.slice(end) }, [which]);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!item || !draft) return;
    setAttempted(true);
    setDone('');
    if (Object.keys(live).length) {
      setError(null);
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    await run(async () => {
      try {
        apply(await templatesApi.save(templateKey, payloadOf(draft)));
      } catch (err) {
        // The server's words next to the field it names, and its message at the top.
        if (err instanceof ApiError) {
          const prefix = `templates.${templateKey}.`;
          const byField: TemplateErrors = {};
          for (const p of err.fieldProblems()) {
            const f = SERVER_FIELD[p.field.startsWith(prefix) ? p.field.slice(prefix.length) : ''];
            if (f) byField[f] = byField[f] ? `${byField[f]} ${p.problem}` : p.problem;
          }
          setServerErrors(byField);
        }
        throw err;
      }
    });
  };

  const restore = async () => {
    setConfirmReset(false);
    let restored = false;
    await run(async () => {
      apply(await templatesApi.save(templateKey, null));
      restored = true;
    });
    if (restored) setDone(t('tplRestored'));
  };

  const back = (
    <Anchor component={Link} to="/admin/messages" size="sm">
      ← {tc('adminTemplates')}
    </Anchor>
  );
  if (!item || !draft) {
    return (
      <Stack gap="md">
        {back}
        <Title order={1}>{t('tplEditTitle', { name })}</Title>
        {error ? (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        ) : (
          <p role="status">{tc('loading')}</p>
        )}
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      {back}
      <Title order={1}>{t('tplEditTitle', { name })}</Title>
      <Group gap="sm">
        <Badge color={item.isDefault ? 'gray' : 'relais'}>{item.isDefault ? t('tplIsDefault') : t('tplIsCustom')}</Badge>
        {dirty && <Text size="sm">{t('tplUnsaved')}</Text>}
      </Group>
      <Text maw={760}>{words.when(templateKey)}</Text>
      <p role="status" className="tpl-done">
        {done}
      </p>
      <ErrorSummary ref={summaryRef} title={t('errorsTitle')} errors={summary} fieldId={FIELD_ID} />
      <ErrorAlert error={error} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
        <form onSubmit={save} noValidate>
          <Stack gap="md">
            <TextInput
              id="tpl-subject"
              ref={subjectRef}
              label={t('tplSubject')}
              description={t('tplSubjectHint')}
              value={draft.subject}
              required
              error={shown.subject}
              onFocus={() => (lastField.current = 'subject')}
              onBlur={() => setTouched((x) => ({ ...x, subject: true }))}
              onChange={(e) => change({ subject: e.currentTarget.value }, ['subject'])}
            />
            <Textarea
              id="tpl-text"
              ref={textRef}
              label={t('tplText')}
              description={t('tplTextHint')}
              value={draft.text}
              required
              error={shown.text}
              autosize
              minRows={8}
              maxLength={5000}
              onFocus={() => (lastField.current = 'text')}
              onBlur={() => setTouched((x) => ({ ...x, text: true }))}
              onChange={(e) => change({ text: e.currentTarget.value }, ['text'])}
            />
            <div role="group" aria-labelledby="tpl-vars-title">
              <Text fw={600} size="sm" id="tpl-vars-title">
                {t('tplInsert')}
              </Text>
              <Text size="sm" c="gray.7" mb={6}>
                {t('tplInsertHint')}
              </Text>
              <Group gap={6}>
                {item.variables.map((v) => (
                  <Button key={v} variant="light" size="compact-sm" tt="none" onClick={() => insert(v)} aria-label={t('tplInsertN', { v: `{{${v}}}`, what: words.variable(v, templateKey) })}>
                    <code className="tpl-chip-code">{`{{${v}}}`}</code>
                    <span className="tpl-chip-label">{words.variable(v, templateKey)}</span>
                  </Button>
                ))}
              </Group>
            </div>
            <WhatsAppTemplateFields
              templateKey={templateKey}
              variables={item.variables}
              variableLabel={(v) => words.variable(v, templateKey)}
              value={draft.whatsapp}
              onChange={(whatsapp) => change({ whatsapp }, ['waName', 'waLanguage', 'waParams', 'waQuickReplies'])}
              errors={shown}
            />
            <Group gap="sm">
              <Button type="submit" loading={busy}>
                {tc('save')}
              </Button>
              {dirty && (
                <Button variant="default" onClick={() => apply([item])}>
                  {t('tplDiscard')}
                </Button>
              )}
              <Button variant="subtle" color="red" onClick={() => setConfirmReset(true)} disabled={item.isDefault && !dirty}>
                {t('tplRestore')}
              </Button>
            </Group>
          </Stack>
        </form>
        <div className="tpl-preview-column">
          <TemplatePreview item={item} draft={draft} />
        </div>
      </SimpleGrid>
      <Modal opened={confirmReset} onClose={() => setConfirmReset(false)} title={t('tplRestoreTitle')} closeButtonProps={{ 'aria-label': tc('close') }} size="lg">
        <Stack gap="sm">
          <Text>{t('tplRestoreText')}</Text>
          {draft.whatsapp && <Text>{t('tplRestoreWhatsApp')}</Text>}
          <div className="tpl-mail">
            <p className="tpl-mail-subject">
              <span className="tpl-mail-label">{t('tplSubject')} :</span> {item.default.subject}
            </p>
            <div className="tpl-rendered">{item.default.text}</div>
          </div>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmReset(false)} data-autofocus>
              {tc('cancel')}
            </Button>
            <Button color="red" onClick={() => void restore()}>
              {t('tplRestoreConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
