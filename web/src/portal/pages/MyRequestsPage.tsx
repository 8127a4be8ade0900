import { Alert, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ApiError } from '../../shared/api';
import { formatDateTime, useLang } from '../../shared/i18n';
import { Link, navigate, useLocation } from '../../shared/router';
import { Loading } from '../PortalApp';
import { ErrorSummary, fieldError, PageHeading, StepProgress, useErrorText, usePortalTitle, WithNumber, type FormError } from '../components';
import { useT } from '../messages';
import { portalApi, type RequestSummary } from '../portal-api';

type View = { kind: 'loading' } | { kind: 'signin'; problem?: string } | { kind: 'unavailable' } | { kind: 'list'; items: RequestSummary[] } | { kind: 'error'; message: string };

/** Asks for a new magic link; the answer never says whether the address is known. */
export function LinkRequestForm({ problem }: { problem?: string }) {
  const t = useT();
  const errorText = useErrorText();
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [count, setCount] = useState(0);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  usePortalTitle(t('mineTitle'), errors.length > 0);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const v = value.trim();
    if (!v) {
      setErrors([{ field: 'link-target', message: t('errLinkTarget') }]);
      setCount((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      await portalApi.askLink(v.includes('@') ? { email: v } : { phone: v });
      setErrors([]);
      setSent(true);
    } catch (err) {
      setErrors([{ field: 'link-target', message: errorText(err) }]);
      setCount((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="lg">
      {problem && (
        <Alert color="red" variant="outline" title={t('mineLinkProblem')} role="alert">
          {problem}
        </Alert>
      )}
      <section aria-labelledby="link-title">
        <Title order={2} id="link-title" mb="xs">
          {t('mineLinkTitle')}
        </Title>
        <Text mb="md">{t('mineLinkIntro')}</Text>
        {sent ? (
          <Alert color="green" variant="outline" role="status">
            {t('mineLinkSent')}
          </Alert>
        ) : (
          <form onSubmit={submit} noValidate>
            <ErrorSummary errors={errors} focusKey={count} />
            <Stack gap="md">
              <TextInput
                id="link-target"
                label={t('mineLinkLegend')}
                description={t('mineLinkHint')}
                autoComplete="email"
                value={value}
                onChange={(e) => setValue(e.currentTarget.value)}
                error={fieldError(errors[0]?.message)}
                inputWrapperOrder={['label', 'description', 'error', 'input']}
              />
              <div>
                <Button type="submit" aria-disabled={busy || undefined}>
                  {t('mineLinkSubmit')}
                </Button>
              </div>
            </Stack>
          </form>
        )}
      </section>
    </Stack>
  );
}

export default function MyRequestsPage() {
  const t = useT();
  const lang = useLang();
  const { search } = useLocation();
  const errorText = useErrorText();
  const token = search.get('t');
  const [view, setView] = useState<View>({ kind: 'loading' });
  usePortalTitle(t('mineTitle'));

  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      if (token) {
        try {
          await portalApi.openSession(token);
        } catch (err) {
          if (cancelled) return;
          // The token must not stay in the address bar (history, screenshots).
          navigate('/mes-demandes', { replace: true });
          if (err instanceof ApiError && err.status === 404) setView({ kind: 'unavailable' });
          else setView({ kind: 'signin', problem: errorText(err) });
          return;
        }
        navigate('/mes-demandes', { replace: true });
        return;
      }
      try {
        const { items } = await portalApi.list();
        if (!cancelled) setView({ kind: 'list', items });
      } catch (err) {
        if (cancelled) return;
        if (err instanceof ApiError && err.status === 401) setView((v) => (v.kind === 'signin' ? v : { kind: 'signin' }));
        else if (err instanceof ApiError && err.status === 404) setView({ kind: 'unavailable' });
        else setView({ kind: 'error', message: errorText(err) });
      }
    };
    void load();
    return () => {
      cancelled = true;
    };
  }, [token]);  

  const signOut = async () => {
    await portalApi.closeSession().catch(() => undefined);
    setView({ kind: 'signin' });
  };

  return (
    <>
      <PageHeading>{t('mineTitle')}</PageHeading>
      {view.kind === 'loading' && (token ? <p role="status">{t('mineOpening')}</p> : <Loading />)}
      {view.kind === 'unavailable' && <Text size="lg">{t('mineUnavailable')}</Text>}
      {view.kind === 'error' && (
        <Alert color="red" variant="outline" role="alert">
          {view.message}
        </Alert>
      )}
      {view.kind === 'signin' && <LinkRequestForm problem={view.problem} />}
      {view.kind === 'list' && (
        <Stack gap="lg">
          {view.items.length === 0 ? (
            <Text size="lg">{t('mineEmpty')}</Text>
          ) : (
            <ul className="portal-request-list">
              {view.items.map((r) => (
                <li key={r.number} className="portal-card">
                  <Title order={2} size="h3" mb={4}>
                    <WithNumber text={t('detailTitle', { number: r.number })} number={r.number} />
                  </Title>
                  <Text fw={700}>{r.subject}</Text>
                  <Text>
                    {t('detailStatus', { status: '' })}
                    <span lang="fr">{r.statusLabel}</span>
                  </Text>
                  <StepProgress step={r.step} id={`progress-${r.number}`} />
                  <Text>{t('mineUpdated', { date: formatDateTime(r.updatedAt, lang) })}</Text>
                  {r.rated && <Text>{t('mineRated')}</Text>}
                  <Button component={Link} to={`/mes-demandes/${encodeURIComponent(r.number)}`} mt="sm" variant="outline">
                    {t('mineSee')}
                    <span className="visually-hidden"> {r.number}</span>
                  </Button>
                </li>
              ))}
            </ul>
          )}
          <div>
            <Button variant="subtle" onClick={signOut}>
              {t('mineSignOut')}
            </Button>
          </div>
        </Stack>
      )}
    </>
  );
}
