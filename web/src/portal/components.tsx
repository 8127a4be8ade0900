import { Title } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, NETWORK } from '../shared/api';
import { Icon } from '../shared/icons';
import { usePageTitle } from '../shared/page';
import { useT } from './messages';

/** Title of the page (document title and the visible h1 agree). */
export function usePortalTitle(title: string, error = false): void {
  const t = useT();
  usePageTitle(title, { site: t('site'), error, errorPrefix: t('errorPrefix') });
}

/** A text with a request number in it, the number kept on one line: it is read out over the phone. */
export function WithNumber({ text, number }: { text: string; number: string }) {
  const at = text.indexOf(number);
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <span style={{ whiteSpace: 'nowrap' }}>{number}</span>
      {text.slice(at + number.length)}
    </>
  );
}

export function PageHeading({ children }: { children: ReactNode }) {
  return (
    <Title order={1} mb="md">
      {children}
    </Title>
  );
}

/** An error's text for the client: the server's French message, or ours when the network failed. */
export function useErrorText(): (err: unknown) => string {
  const t = useT();
  return (err) => {
    if (err instanceof ApiError) return err.code === NETWORK ? t('network') : err.message;
    return t('network');
  };
}

export interface FormError {
  /** id of the field (or the first input of a group) the summary links to. */
  field: string;
  message: string;
}

/**
 * GOV.UK error summary: a box at the top titled "Il y a un problème", focused when it appears,
 * each error a link that puts the focus on its field.
 */
export function ErrorSummary({ errors, focusKey }: { errors: FormError[]; focusKey: number }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length && focusKey) ref.current?.focus();
    // Only when the form is submitted again (focusKey changes), not on every keystroke.
  }, [focusKey]);
  if (!errors.length) return null;
  return (
    <div className="error-summary" ref={ref} tabIndex={-1} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t('errorSummary')}</h2>
      <ul>
        {errors.map((e) => (
          <li key={e.field + e.message}>
            <a
              href={`#${e.field}`}
              onClick={(ev) => {
                const el = document.getElementById(e.field);
                if (!el) return;
                ev.preventDefault();
                el.scrollIntoView({ block: 'center' });
                el.focus();
              }}
            >
              {e.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** For Mantine's `error` prop: nothing when there is no error (an empty element would still mark the field invalid). */
export function fieldError(message?: string) {
  return message ? <FieldError message={message} /> : undefined;
}

/** The error text under a field, with "Erreur :" for screen readers. */
export function FieldError({ message }: { message?: string }) {
  const t = useT();
  if (!message) return undefined;
  return (
    <>
      <span className="visually-hidden">{t('errorPrefix')}</span>
      {message}
    </>
  );
}

/** The 4 steps of a request, as a list: "Étape 3 sur 4 : Nous vous aidons (en cours)". */
export function StepProgress({ step, id }: { step: number; id?: string }) {
  const t = useT();
  const labels = [t('step1'), t('step2'), t('step3'), t('step4')];
  return (
    <div>
      <p id={id} className="visually-hidden">
        {t('progressLabel')}
      </p>
      <ol className="portal-progress" aria-labelledby={id}>
        {labels.map((label, i) => {
          const n = i + 1;
          const state = n < step || (n === 4 && step === 4) ? 'done' : n === step ? 'current' : 'todo';
          return (
            <li key={label} data-state={state} aria-current={n === step ? 'step' : undefined}>
              <span className="visually-hidden">{t('stepOf', { n, label: '' })}</span>
              {label}
              <span className="visually-hidden"> ({t(state === 'done' ? 'stepDone' : state === 'current' ? 'stepCurrent' : 'stepTodo')})</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** "Nous ne vous demanderons jamais…" with the adviser's verification code next to it. */
export function VerificationCode({ code }: { code: string }) {
  const t = useT();
  return (
    <section className="portal-safety" aria-labelledby="verify-title">
      <h2 id="verify-title" className="portal-icon-row" style={{ marginTop: 0 }}>
        <Icon name="shield" />
        {t('verifyTitle')}
      </h2>
      <p>
        <strong>{t('never')}</strong>
      </p>
      <p>
        {t('verifyCode')}
        <span className="portal-verify-code">{code}</span>
      </p>
      <p style={{ marginBottom: 0 }}>{t('verifyExplain')}</p>
    </section>
  );
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const ACCEPT = ['image/', 'application/pdf'];

export interface PickedFile {
  id: string;
  file: File;
  url: string | null;
}

export function sizeLabel(bytes: number, lang: string): string {
  const mb = bytes / (1024 * 1024);
  const n = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(mb >= 1 ? mb : bytes / 1024);
  return mb >= 1 ? `${n} ${lang === 'fr' ? 'Mo' : 'MB'}` : `${n} ${lang === 'fr' ? 'ko' : 'KB'}`;
}

/**
 * Photos, screenshots, PDF: chosen with the system's file picker, previewed, removable one by
 * one. Problems (wrong type, too heavy) are reported through `onProblems` for the error summary.
 */
export function FilePicker({
  id,
  files,
  onChange,
  onProblems,
  error,
  lang,
  legend,
}: {
  legend?: string;
  id: string;
  files: PickedFile[];
  onChange: (files: PickedFile[]) => void;
  onProblems: (problems: string[]) => void;
  error?: string;
  lang: string;
}) {
  const t = useT();
  const [announce, setAnnounce] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const max = sizeLabel(MAX_FILE_BYTES, lang);
  useEffect(() => () => files.forEach((f) => f.url && URL.revokeObjectURL(f.url)), []);

  const add = (list: FileList | null) => {
    if (!list) return;
    const problems: string[] = [];
    const added: PickedFile[] = [];
    for (const file of Array.from(list)) {
      if (!ACCEPT.some((a) => file.type.startsWith(a))) problems.push(t('errFileType', { name: file.name }));
      else if (file.size > MAX_FILE_BYTES) problems.push(t('errFileSize', { name: file.name, max }));
      else added.push({ id: `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`, file, url: file.type.startsWith('image/') ? URL.createObjectURL(file) : null });
    }
    onProblems(problems);
    onChange([...files, ...added]);
    if (inputRef.current) inputRef.current.value = '';
  };

  const remove = (f: PickedFile, index: number) => {
    if (f.url) URL.revokeObjectURL(f.url);
    const next = files.filter((x) => x.id !== f.id);
    onChange(next);
    setAnnounce(t('filesRemoved', { name: f.file.name }));
    // The focus goes to the next "Retirer" button, or back to the picker.
    requestAnimationFrame(() => {
      const buttons = document.querySelectorAll<HTMLButtonElement>(`[data-remove-for="${id}"]`);
      (buttons[Math.min(index, buttons.length - 1)] ?? inputRef.current)?.focus();
    });
  };

  return (
    <fieldset className="portal-fieldset" data-error={error ? 'true' : undefined} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}>
      <legend>{legend ?? t('filesLegend')}</legend>
      <p className="portal-hint" id={`${id}-hint`}>
        {t('filesHint', { max })}
      </p>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          <FieldError message={error} />
        </p>
      )}
      <label className="portal-file-input">
        <Icon name="paperclip" size={24} />
        {t('filesAdd')}
        <input ref={inputRef} id={id} type="file" multiple accept="image/*,application/pdf" onChange={(e) => add(e.currentTarget.files)} />
      </label>
      {files.length > 0 && (
        <>
          <h3 className="visually-hidden">{t('filesList')}</h3>
          <ul className="portal-files">
            {files.map((f, i) => (
              <li key={f.id} className="portal-file">
                {f.url ? (
                  <img src={f.url} alt="" />
                ) : (
                  <span className="portal-file-icon">
                    <Icon name="file" size={36} />
                  </span>
                )}
                <span className="portal-file-name">
                  {f.file.name}
                  <br />
                  <small>{sizeLabel(f.file.size, lang)}</small>
                </span>
                <button type="button" className="portal-toggle" data-remove-for={id} aria-label={t('filesRemoveLabel', { name: f.file.name })} onClick={() => remove(f, i)}>
                  {t('filesRemove')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
    </fieldset>
  );
}
