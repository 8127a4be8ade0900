import '../channels.css';
import { Alert, Button, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api';
import { Link, useLocation } from '../../shared/router';
import { callbackApi, type RatingLinkView } from '../callback-api';
import { usePortalChannelsT } from '../channels-messages';
import { ErrorSummary, FieldError, PageHeading, useErrorText, usePortalTitle, type FormError } from '../components';
import { Loading } from '../PortalApp';
import { useT } from '../messages';

/**
 * The page behind the links of the "resolved" email (`/avis?t=…&note=N`): which request it is
 * about, the score clicked already chosen, an optional comment, one button. Nothing is recorded
 * until the client presses it (mail scanners open links too).
 */
export default function RatingLinkPage() {
  const t = useT();
  const c = usePortalChannelsT();
  const errorText = useErrorText();
  const { search } = useLocation();
  const token = search.get('t') ?? '';
  const note = Number(search.get('note'));
  const [view, setView] = useState<RatingLinkView | 'invalid' | null>(null);
  const [score, setScore] = useState<number | null>(note >= 1 && note <= 5 ? note : null);
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [count, setCount] = useState(0);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  usePortalTitle(saved ? c('rlThanksTitle') : c('rlTitle'), errors.length > 0);

  useEffect(() => {
    if (!token) return setView('invalid');
    callbackApi
      .ratingLink(token)
      .then(setView)
      .catch((err) => {
        // Not found: the link is wrong; anything else (network…) is said as it is.
        if (!(err instanceof ApiError && err.status === 404)) setErrors([{ field: 'score-1', message: errorText(err) }]);
        setView('invalid');
      });
  }, [token]);
  useEffect(() => {
    if (saved) doneRef.current?.focus();
  }, [saved]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!score) {
      setErrors([{ field: 'score-1', message: t('errRate') }]);
      setCount((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      await callbackApi.rateByLink(token, score, comment.trim() || undefined);
      setSaved(score);
    } catch (err) {
      setErrors([{ field: 'score-1', message: errorText(err) }]);
      setCount((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  if (view === null) return <Loading />;
  if (view === 'invalid') {
    return (
      <Stack gap="lg">
        <PageHeading>{c('rlTitle')}</PageHeading>
        <Alert color="red" variant="outline" role="alert">
          {errors[0]?.message ?? c('rlInvalid')}
        </Alert>
        <div>
          <Button component={Link} to="/mes-demandes" variant="outline">
            {t('navMine')}
          </Button>
        </div>
      </Stack>
    );
  }
  if (saved || view.rating) {
    return (
      <Stack gap="lg">
        <PageHeading>{c('rlTitle')}</PageHeading>
        <Text size="lg">{c('rlAbout', { number: view.number, subject: view.subject })}</Text>
        <div className="portal-done" role="status">
          <Title order={2} ref={doneRef} tabIndex={-1}>
            {saved ? c('rlThanksTitle') : t('rateTitle')}
          </Title>
          <Text size="lg" mt="xs">
            {saved ? t('rateThanks', { score: saved }) : c('rlAlready', { score: view.rating!.score })}
          </Text>
        </div>
        <div>
          <Button component={Link} to="/" variant="outline">
            {c('rlHome')}
          </Button>
        </div>
      </Stack>
    );
  }
  return (
    <>
      <PageHeading>{c('rlTitle')}</PageHeading>
      <Text size="lg" mb="lg">
        {c('rlAbout', { number: view.number, subject: view.subject })}
      </Text>
      {!view.canRate ? (
        <Alert color="orange" variant="outline">
          {c('rlNotYet')}
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <ErrorSummary errors={errors} focusKey={count} />
          <Stack gap="md">
            <fieldset className="portal-fieldset" data-error={errors.length ? 'true' : undefined}>
              <legend>{t('rateLegend')}</legend>
              {errors[0] && (
                <p className="field-error">
                  <FieldError message={errors[0].message} />
                </p>
              )}
              <div className="portal-stars">
                {[1, 2, 3, 4, 5].map((n) => (
                  <label key={n} className="portal-star">
                    <input type="radio" name="score" id={`score-${n}`} value={n} checked={score === n} onChange={() => setScore(n)} />
                    <strong aria-hidden="true">{'★'.repeat(n)}</strong>
                    <span>{t(`rate${n as 1 | 2 | 3 | 4 | 5}`)}</span>
                    <span className="visually-hidden">({t('rateValue', { n })})</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <Textarea id="rate-comment" label={t('rateComment')} minRows={3} autosize maxLength={2000} value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
            <div>
              <Button type="submit" aria-disabled={busy || undefined}>
                {t('rateSubmit')}
              </Button>
            </div>
          </Stack>
        </form>
      )}
    </>
  );
}
