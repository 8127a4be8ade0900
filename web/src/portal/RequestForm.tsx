import { Button, Stack, Textarea, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../shared/api';
import { Icon, type IconName } from '../shared/icons';
import { useLang } from '../shared/i18n';
import { navigate } from '../shared/router';
import { Captcha, type CaptchaHandle } from './Captcha';
import { ErrorSummary, FieldError, FilePicker, fieldError, useErrorText, usePortalTitle, type FormError, type PickedFile } from './components';
import { useT, type PortalKey } from './messages';
import { portalApi } from './portal-api';

export const CATEGORIES: { key: string; label: PortalKey; icon: IconName }[] = [
  { key: 'emails', label: 'cat_emails', icon: 'mail' },
  { key: 'mobile', label: 'cat_mobile', icon: 'mobile' },
  { key: 'computer', label: 'cat_computer', icon: 'laptop' },
  { key: 'internet', label: 'cat_internet', icon: 'wifi' },
  { key: 'online', label: 'cat_online', icon: 'file' },
  { key: 'security', label: 'cat_security', icon: 'lock' },
  { key: 'other', label: 'cat_other', icon: 'help' },
];

interface Draft {
  name: string;
  phone: string;
  email: string;
  description: string;
  category: string;
}
const EMPTY: Draft = { name: '', phone: '', email: '', description: '', category: '' };

/** What the confirmation page shows (kept for this tab, so a reload keeps it). */
export interface LastRequest {
  number: string;
  sentTo: 'email' | 'sms' | 'whatsapp' | null;
  urgent: boolean;
  firstInstructions: string[];
  files: number;
  attachError: string | null;
}
export const LAST_REQUEST_KEY = 'relais.lastRequest';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const validPhone = (p: string) => /^[+\d][\d\s.()-]*$/.test(p.trim()) && p.replace(/\D/g, '').length >= 6;

function loadDraft(key: string): Draft {
  try {
    return { ...EMPTY, ...(JSON.parse(sessionStorage.getItem(key) ?? '{}') as Partial<Draft>) };
  } catch {
    return EMPTY;
  }
}

/**
 * The "Nouvelle demande" form, also used after the urgent button (without the category).
 * GOV.UK pattern: errors listed in a summary at the top (focused), the same words next to
 * each field, "Erreur : " in the page title. The draft survives a reload.
 */
export function RequestForm({ urgent, title }: { urgent: boolean; title: string }) {
  const t = useT();
  const lang = useLang();
  const errorText = useErrorText();
  const draftKey = `relais.draft.${urgent ? 'urgent' : 'new'}`;
  const [draft, setDraft] = useState<Draft>(() => loadDraft(draftKey));
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [fileProblems, setFileProblems] = useState<string[]>([]);
  const [captcha, setCaptcha] = useState<string | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [submitCount, setSubmitCount] = useState(0);
  const [sending, setSending] = useState(false);
  const captchaRef = useRef<CaptchaHandle | null>(null);
  usePortalTitle(title, errors.length > 0);

  useEffect(() => {
    try {
      sessionStorage.setItem(draftKey, JSON.stringify(draft));
    } catch {
      // Storage full or disabled: the form still works, without the draft.
    }
  }, [draft, draftKey]);

  const set = (k: keyof Draft) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setDraft((d) => ({ ...d, [k]: value }));
  };
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;

  const validate = (): FormError[] => {
    const out: FormError[] = [];
    if (!draft.name.trim()) out.push({ field: 'name', message: t('errName') });
    if (!draft.phone.trim() && !draft.email.trim()) out.push({ field: 'phone', message: t('errContact') });
    if (draft.phone.trim() && !validPhone(draft.phone)) out.push({ field: 'phone', message: t('errPhone') });
    if (draft.email.trim() && !EMAIL.test(draft.email.trim())) out.push({ field: 'email', message: t('errEmail') });
    if (!draft.description.trim()) out.push({ field: 'description', message: t('errDescription') });
    for (const p of fileProblems) out.push({ field: 'files', message: p });
    if (!captcha) out.push({ field: 'captcha', message: t('errCaptcha') });
    return out;
  };

  const fail = (list: FormError[]) => {
    setErrors(list);
    setSubmitCount((n) => n + 1);
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (sending) return;
    const problems = validate();
    if (problems.length) return fail(problems);
    setSending(true);
    setErrors([]);
    try {
      const created = await portalApi.createRequest({
        name: draft.name.trim(),
        ...(draft.phone.trim() ? { phone: draft.phone.trim() } : {}),
        ...(draft.email.trim() ? { email: draft.email.trim() } : {}),
        description: draft.description.trim(),
        ...(draft.category && !urgent ? { category: draft.category } : {}),
        ...(urgent ? { urgent: true } : {}),
        altcha: captcha!,
      });
      let attachError: string | null = null;
      if (files.length) {
        try {
          await portalApi.attach(
            created.number,
            files.map((f) => f.file),
          );
        } catch (err) {
          attachError = errorText(err);
        }
      }
      const last: LastRequest = {
        number: created.number,
        sentTo: created.sentTo,
        urgent,
        firstInstructions: created.firstInstructions ?? [],
        files: attachError ? 0 : files.length,
        attachError,
      };
      sessionStorage.setItem(LAST_REQUEST_KEY, JSON.stringify(last));
      sessionStorage.removeItem(draftKey);
      navigate('/demande/confirmation');
    } catch (err) {
      setSending(false);
      captchaRef.current?.renew();
      setCaptcha(null);
      // The server checks the same things (and more) and names the fields: same words, same places.
      const fieldOf: Record<string, string> = { name: 'name', phone: 'phone', email: 'email', description: 'description', altcha: 'captcha' };
      const fields = err instanceof ApiError ? err.fieldProblems().filter((p) => fieldOf[p.field]) : [];
      if (fields.length) fail(fields.map((p) => ({ field: fieldOf[p.field]!, message: p.problem.replace(/\.$/, '') })));
      else fail([{ field: 'submit', message: t('errSend', { message: errorText(err) }) }]);
    }
  };

  const contactError = errors.find((e) => e.field === 'phone' && e.message === t('errContact'))?.message;
  const phoneError = contactError ? undefined : errorFor('phone');
  const filesError = errors.filter((e) => e.field === 'files').map((e) => e.message).join('. ') || undefined;

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} focusKey={submitCount} />
      <Stack gap="xl">
        <TextInput
          id="name"
          label={t('fieldName')}
          description={t('fieldNameHint')}
          autoComplete="name"
          value={draft.name}
          onChange={set('name')}
          error={fieldError(errorFor('name'))}
          inputWrapperOrder={['label', 'description', 'error', 'input']}
          required
          withAsterisk={false}
        />

        <fieldset className="portal-fieldset" data-error={contactError ? 'true' : undefined} aria-describedby={`contact-hint${contactError ? ' contact-error' : ''}`}>
          <legend>{t('contactLegend')}</legend>
          <p className="portal-hint" id="contact-hint">
            {t('contactHint')}
          </p>
          {contactError && (
            <p className="field-error" id="contact-error">
              <FieldError message={contactError} />
            </p>
          )}
          <Stack gap="md">
            <TextInput
              id="phone"
              type="tel"
              label={t('fieldPhone')}
              autoComplete="tel"
              inputMode="tel"
              value={draft.phone}
              onChange={set('phone')}
              error={fieldError(phoneError) ?? (contactError ? true : undefined)}
              inputWrapperOrder={['label', 'description', 'error', 'input']}
            />
            <TextInput
              id="email"
              type="email"
              label={t('fieldEmail')}
              autoComplete="email"
              value={draft.email}
              onChange={set('email')}
              error={fieldError(errorFor('email')) ?? (contactError ? true : undefined)}
              inputWrapperOrder={['label', 'description', 'error', 'input']}
            />
          </Stack>
        </fieldset>

        <Textarea
          id="description"
          label={t('fieldDescription')}
          description={urgent ? t('urgentDescriptionHint') : t('descriptionHint')}
          minRows={5}
          autosize
          value={draft.description}
          onChange={set('description')}
          error={fieldError(errorFor('description'))}
          inputWrapperOrder={['label', 'description', 'error', 'input']}
          required
          withAsterisk={false}
        />

        {!urgent && (
          <fieldset className="portal-fieldset" aria-describedby="category-hint">
            <legend>{t('categoryLegend')}</legend>
            <p className="portal-hint" id="category-hint">
              {t('categoryHint')}
            </p>
            <div className="portal-categories">
              {CATEGORIES.map((c) => (
                <label key={c.key} className="portal-category">
                  <input type="radio" name="category" id={`category-${c.key}`} value={c.key} checked={draft.category === c.key} onChange={() => setDraft((d) => ({ ...d, category: c.key }))} />
                  <Icon name={c.icon} size={36} />
                  <span>{t(c.label)}</span>
                </label>
              ))}
            </div>
          </fieldset>
        )}

        <FilePicker id="files" files={files} onChange={setFiles} onProblems={setFileProblems} error={filesError} lang={lang} />

        <Captcha lang={lang} error={errorFor('captcha')} onPayload={setCaptcha} handleRef={captchaRef} />

        <p className="portal-hint" style={{ margin: 0 }}>
          {t('draftKept')}
        </p>
        <div>
          <Button id="submit" type="submit" color={urgent ? 'red' : undefined} aria-disabled={sending || undefined}>
            {sending ? t('sending') : urgent ? t('urgentSubmit') : t('submit')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
