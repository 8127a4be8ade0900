import '../channels.css';
import { Button, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api';
import { Icon } from '../../shared/icons';
import { useLang } from '../../shared/i18n';
import { Link, useLocation } from '../../shared/router';
import { callbackApi, clock, dayName, daysFromToday, spacedPhone, type CallbackRequested, type CallbackSlot, type CallbackSlots } from '../callback-api';
import { Captcha, type CaptchaHandle } from '../Captcha';
import { usePortalChannelsT } from '../channels-messages';
import { ErrorSummary, FieldError, fieldError, PageHeading, useErrorText, usePortalTitle, type FormError } from '../components';
import { useT } from '../messages';
import { useHotline } from '../portal-api';

const validPhone = (p: string) => /^[+\d][\d\s.()-]*$/.test(p.trim()) && p.replace(/\D/g, '').length >= 6;

/** "Demain, entre 9 h et 12 h": each moment said the way one would on the phone. */
function useSlotLabel() {
  const c = usePortalChannelsT();
  const lang = useLang();
  return (slot: CallbackSlot, zone: string): string => {
    const start = clock(slot.start, zone, lang);
    const end = clock(slot.end, zone, lang);
    if (Date.parse(slot.start) <= Date.now()) return c('cbNow', { end });
    const days = daysFromToday(slot.start, zone);
    if (days === 0) return c('cbToday', { start, end });
    if (days === 1) return c('cbTomorrow', { start, end });
    return c('cbDay', { day: dayName(slot.start, zone, lang), start, end });
  };
}

/** When the hotline reopens, said like a slot's start: "demain à 9 h" (the first slot offered is the reopening). */
function useReopening() {
  const c = usePortalChannelsT();
  const lang = useLang();
  return (slot: CallbackSlot | undefined, zone: string): string => {
    if (!slot) return c('cbAsapClosed');
    const start = clock(slot.start, zone, lang);
    const days = daysFromToday(slot.start, zone);
    const day = dayName(slot.start, zone, lang);
    const when = days === 0 ? c('cbAtToday', { start }) : days === 1 ? c('cbAtTomorrow', { start }) : c('cbAtDay', { day: lang === 'fr' ? day.charAt(0).toLowerCase() + day.slice(1) : day, start });
    return c('cbAsapClosedAt', { when });
  };
}

/**
 * « Être rappelé » : a phone number, a moment within the opening hours, and an optional reason.
 * The form follows the request form (GOV.UK error summary, the same captcha, drafts not lost on
 * a refused submission); the answer says when and at which number the adviser will call.
 */
export default function CallbackPage() {
  const t = useT();
  const c = usePortalChannelsT();
  const lang = useLang();
  const errorText = useErrorText();
  const slotLabel = useSlotLabel();
  const reopening = useReopening();
  const { info } = useHotline();
  const { search } = useLocation();
  const request = search.get('demande')?.trim().toUpperCase() || null;
  const [slots, setSlots] = useState<CallbackSlots | null>(null);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [slot, setSlot] = useState('');
  const [reason, setReason] = useState('');
  const [captcha, setCaptcha] = useState<string | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [count, setCount] = useState(0);
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState<CallbackRequested | null>(null);
  const captchaRef = useRef<CaptchaHandle | null>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  usePortalTitle(done ? c('cbDoneTitle') : c('cbTitle'), errors.length > 0);

  useEffect(() => {
    callbackApi
      .slots()
      .then(setSlots)
      .catch((err) => setErrors([{ field: 'slot-asap', message: errorText(err) }]));
  }, []);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  const fail = (list: FormError[]) => {
    setErrors(list);
    setCount((n) => n + 1);
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (sending) return;
    const problems: FormError[] = [];
    if (!request && !name.trim()) problems.push({ field: 'name', message: c('errCbName') });
    if (!validPhone(phone)) problems.push({ field: 'phone', message: c('errCbPhone') });
    if (!slot) problems.push({ field: 'slot-asap', message: c('errCbWhen') });
    if (!captcha) problems.push({ field: 'captcha', message: t('errCaptcha') });
    if (problems.length) return fail(problems);
    setSending(true);
    setErrors([]);
    try {
      setDone(await callbackApi.request({ ...(name.trim() ? { name: name.trim() } : {}), phone: phone.trim(), slot, ...(reason.trim() ? { reason: reason.trim() } : {}), ...(request ? { request } : {}), altcha: captcha! }));
    } catch (err) {
      captchaRef.current?.renew();
      setCaptcha(null);
      const fieldOf: Record<string, string> = { name: 'name', phone: 'phone', slot: 'slot-asap', reason: 'reason', altcha: 'captcha' };
      const fields = err instanceof ApiError ? err.fieldProblems().filter((p) => fieldOf[p.field]) : [];
      if (fields.length) fail(fields.map((p) => ({ field: fieldOf[p.field]!, message: p.problem.replace(/\.$/, '') })));
      else fail([{ field: 'submit', message: c('errCbSend', { message: errorText(err) }) }]);
      // A moment that is no longer offered: show the current ones.
      if (err instanceof ApiError && err.code === 'CALLBACK_SLOT_GONE') void callbackApi.slots().then(setSlots);
    } finally {
      setSending(false);
    }
  };

  if (done) {
    const zone = slots?.timezone ?? 'Europe/Paris';
    const days = done.slot ? daysFromToday(done.slot.start, zone) : 0;
    const range = done.slot ? { start: clock(done.dueAt, zone, lang), end: clock(done.slot.end, zone, lang) } : null;
    const when = !range ? null : days === 0 ? c('cbWhenToday', range) : days === 1 ? c('cbWhenTomorrow', range) : c('cbWhenAt', { day: dayName(done.dueAt, zone, lang), ...range });
    return (
      <Stack gap="lg">
        <PageHeading>{c('cbTitle')}</PageHeading>
        <div className="portal-done" role="status">
          <Title order={2} ref={doneRef} tabIndex={-1} className="portal-icon-row">
            <Icon name="phone" />
            {c('cbDoneTitle')}
          </Title>
          <Text size="lg" fw={700} mt="sm">
            {when ? c('cbDoneWhen', { when, phone: spacedPhone(done.phone) }) : c('cbDoneAsap', { phone: spacedPhone(done.phone) })}
          </Text>
        </div>
        <Text size="lg">{c('cbDoneNext')}</Text>
        {info?.hotlinePhone && <Text size="lg">{c('cbDoneHotline', { phone: info.hotlinePhone })}</Text>}
        <p className="portal-icon-row" style={{ margin: 0 }}>
          <Icon name="shield" />
          <strong>{t('never')}</strong>
        </p>
        <div>
          <Button component={Link} to="/" variant="outline">
            {c('cbDoneHome')}
          </Button>
        </div>
      </Stack>
    );
  }

  const slotError = errorFor('slot-asap');
  return (
    <>
      <PageHeading>{c('cbTitle')}</PageHeading>
      <Stack gap="xs" mb="lg">
        <Text size="lg">{c('cbIntro')}</Text>
        <Text size="lg">{c('cbIntro2')}</Text>
        {request && (
          <Text size="lg" fw={700}>
            {c('cbAbout', { number: request })}
          </Text>
        )}
      </Stack>
      <form onSubmit={submit} noValidate>
        <ErrorSummary errors={errors} focusKey={count} />
        <Stack gap="xl">
          {!request && (
            <TextInput
              id="name"
              label={c('cbName')}
              description={c('cbNameHint')}
              autoComplete="name"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldError(errorFor('name'))}
              inputWrapperOrder={['label', 'description', 'error', 'input']}
              required
              withAsterisk={false}
            />
          )}
          <TextInput
            id="phone"
            type="tel"
            label={c('cbPhone')}
            description={c('cbPhoneHint')}
            autoComplete="tel"
            inputMode="tel"
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
            error={fieldError(errorFor('phone'))}
            inputWrapperOrder={['label', 'description', 'error', 'input']}
            required
            withAsterisk={false}
          />
          <fieldset className="portal-fieldset" data-error={slotError ? 'true' : undefined} aria-describedby={`slot-hint${slotError ? ' slot-error' : ''}`}>
            <legend>{c('cbWhen')}</legend>
            <p className="portal-hint" id="slot-hint">
              {c('cbWhenHint')}
            </p>
            {slotError && (
              <p className="field-error" id="slot-error">
                <FieldError message={slotError} />
              </p>
            )}
            {!slots ? (
              <p role="status">{c('cbLoading')}</p>
            ) : (
              <div className="portal-choices">
                {[{ value: 'asap', label: slots.openNow ? c('cbAsapOpen') : reopening(slots.slots[0], slots.timezone) }, ...slots.slots.map((s) => ({ value: s.start, label: slotLabel(s, slots.timezone) }))].map((o, i) => (
                  <label key={o.value} className="portal-choice">
                    <input type="radio" name="slot" id={i === 0 ? 'slot-asap' : `slot-${i}`} value={o.value} checked={slot === o.value} onChange={() => setSlot(o.value)} />
                    <span>{o.label}</span>
                  </label>
                ))}
              </div>
            )}
          </fieldset>
          <Textarea
            id="reason"
            label={c('cbReason')}
            description={c('cbReasonHint')}
            minRows={3}
            autosize
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={fieldError(errorFor('reason'))}
            inputWrapperOrder={['label', 'description', 'error', 'input']}
          />
          <Captcha lang={lang} error={errorFor('captcha')} onPayload={setCaptcha} handleRef={captchaRef} />
          {errorFor('submit') && (
            <p className="field-error" id="submit-error">
              <FieldError message={errorFor('submit')} />
            </p>
          )}
          <div>
            <Button id="submit" type="submit" aria-disabled={sending || undefined}>
              {sending ? c('cbSending') : c('cbSubmit')}
            </Button>
          </div>
        </Stack>
      </form>
    </>
  );
}
