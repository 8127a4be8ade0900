import type {} from 'altcha/types/react';
import { useEffect, useRef, useState } from 'react';
import type { Lang } from '../shared/i18n';
import { FieldError } from './components';
import { useT } from './messages';
import { portalApi } from './portal-api';

type CaptchaState = 'checking' | 'unavailable' | 'unverified' | 'verifying' | 'verified' | 'error' | 'expired';

interface AltchaElement extends HTMLElement {
  reset?: (state?: string) => void;
  verify?: () => Promise<unknown>;
  configure?: (c: Record<string, unknown>) => Promise<void>;
}

/** The widget's own words (its dictionary), in plain language, for both portal languages. */
const WIDGET_STRINGS: Record<Lang, Record<string, string>> = {
  fr: {
    ariaLinkLabel: 'ALTCHA (site officiel)',
    cancel: 'Annuler',
    enterCode: 'Entrez le code',
    enterCodeAria: 'Entrez le code que vous entendez. Appuyez sur Espace pour l’écouter.',
    enterCodeFromImage: 'Pour continuer, entrez le code de l’image.',
    error: 'La vérification n’a pas marché. Elle recommence.',
    expired: 'La vérification a expiré. Elle recommence.',
    footer: '',
    getAudioChallenge: 'Écouter un code',
    label: 'Je ne suis pas un robot',
    loading: 'Chargement…',
    reload: 'Recommencer',
    verify: 'Vérifier',
    verificationRequired: 'Vérification nécessaire',
    verified: 'Vérification terminée',
    verifying: 'Vérification en cours…',
    waitAlert: 'Vérification en cours, patientez quelques secondes.',
  },
  en: {
    ariaLinkLabel: 'ALTCHA (official website)',
    cancel: 'Cancel',
    enterCode: 'Enter the code',
    enterCodeAria: 'Enter the code you hear. Press Space to listen.',
    enterCodeFromImage: 'To go on, enter the code from the picture.',
    error: 'The check did not work. It starts again.',
    expired: 'The check expired. It starts again.',
    footer: '',
    getAudioChallenge: 'Listen to a code',
    label: 'I am not a robot',
    loading: 'Loading…',
    reload: 'Start again',
    verify: 'Check',
    verificationRequired: 'Check needed',
    verified: 'Check done',
    verifying: 'Checking…',
    waitAlert: 'Checking, please wait a few seconds.',
  },
};

let loaded: Promise<unknown> | null = null;
/** The ALTCHA web component (about 35 KB gzipped) is fetched only with the form that needs it. */
function loadWidget(): Promise<unknown> {
  loaded ??= import('altcha').then(() => {
    for (const lang of ['fr', 'en'] as Lang[]) globalThis.$altcha.i18n.set(lang, WIDGET_STRINGS[lang]);
  });
  return loaded;
}

export interface CaptchaHandle {
  /** After a refused submission: the proof is spent, compute a new one. */
  renew: () => void;
}

/**
 * Self-hosted proof-of-work check (ALTCHA): it solves itself when the page opens, so nobody
 * has to read a picture or listen to a sound. The payload goes up with the form.
 */
export function Captcha({ lang, error, onPayload, handleRef }: { lang: Lang; error?: string; onPayload: (payload: string | null) => void; handleRef?: React.RefObject<CaptchaHandle | null> }) {
  const t = useT();
  const [state, setState] = useState<CaptchaState>('checking');
  const ref = useRef<AltchaElement>(null);
  const onPayloadRef = useRef(onPayload);
  onPayloadRef.current = onPayload;

  useEffect(() => {
    let cancelled = false;
    fetch(portalApi.captchaUrl, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(async (res) => {
        await res.arrayBuffer(); // read to the end: the widget fetches its own challenge
        if (!res.ok) throw new Error(String(res.status));
        await loadWidget();
        if (!cancelled) setState('unverified');
      })
      .catch(() => !cancelled && setState('unavailable'));
    return () => {
      cancelled = true;
    };
  }, []);  

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onChange = (e: Event) => {
      const detail = (e as CustomEvent<{ state: CaptchaState; payload?: string }>).detail;
      setState(detail.state);
      onPayloadRef.current(detail.state === 'verified' && detail.payload ? detail.payload : null);
      if (detail.state === 'expired' || detail.state === 'error') setTimeout(() => void el.verify?.(), 1000);
    };
    el.addEventListener('statechange', onChange);
    return () => el.removeEventListener('statechange', onChange);
  }, [state === 'checking' || state === 'unavailable']);

  if (handleRef) {
    handleRef.current = {
      renew: () => {
        const el = ref.current;
        if (!el) return;
        el.reset?.();
        void el.verify?.();
      },
    };
  }

  if (state === 'checking') return <p role="status">{t('loading')}</p>;
  if (state === 'unavailable') {
    return (
      <p className="field-error" role="alert" id="captcha" tabIndex={-1}>
        {t('captchaUnavailable')}
      </p>
    );
  }
  const status = state === 'verified' ? t('captchaVerified') : state === 'error' || state === 'expired' ? t('captchaError') : t('captchaVerifying');
  return (
    <div className="portal-fieldset" data-error={error ? 'true' : undefined} id="captcha" tabIndex={-1}>
      <p style={{ fontWeight: 700, fontSize: '1.375rem', margin: '0 0 0.25rem' }}>{t('captchaLabel')}</p>
      <p className="portal-hint">{t('captchaHint')}</p>
      {error && (
        <p className="field-error">
          <FieldError message={error} />
        </p>
      )}
      <altcha-widget
        ref={ref}
        challenge={portalApi.captchaUrl}
        auto="onload"
        language={lang}
        name="altcha"
        configuration={JSON.stringify({ hideFooter: true, hideLogo: true, credentials: 'same-origin' })}
      />
      <p className="visually-hidden" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
