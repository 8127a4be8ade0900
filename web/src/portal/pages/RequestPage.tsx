import { Alert, Button, Stack, Text, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { isInlineImage } from '../../../../common/src/attachments';
import { ApiError } from '../../shared/api';
import { formatDateTime, useLang } from '../../shared/i18n';
import { Link } from '../../shared/router';
import { Loading } from '../PortalApp';
import { ErrorSummary, FieldError, FilePicker, fieldError, PageHeading, sizeLabel, StepProgress, useErrorText, usePortalTitle, VerificationCode, WithNumber, type FormError, type PickedFile } from '../components';
import { usePortalChannelsT } from '../channels-messages';
import { useT } from '../messages';
import { portalApi, type RequestDetail } from '../portal-api';
import { LinkRequestForm } from './MyRequestsPage';

/**
 * A file of the request: a photo (JPEG, PNG, GIF, WebP, as the server sniffed it) is shown
 * small and opens full size in a new tab; anything else is a link with its size.
 */
function RequestFile({ number, file }: { number: string; file: RequestDetail['attachments'][number] }) {
  const t = useT();
  const lang = useLang();
  const url = portalApi.attachmentUrl(number, file.id);
  if (!isInlineImage(file.contentType)) {
    return (
      <>
        <a href={url}>{file.filename}</a> ({sizeLabel(file.sizeBytes, lang)})
      </>
    );
  }
  return (
    <>
      <a className="portal-photo" href={url} target="_blank" rel="noopener noreferrer">
        <img src={url} alt={t('photoAlt', { file: file.filename })} loading="lazy" decoding="async" />
        <span>
          {t('photoOpen')} <span className="visually-hidden">{t('photoNewTab')}</span>
        </span>
      </a>
      <span className="portal-photo-name">
        {file.filename} ({sizeLabel(file.sizeBytes, lang)})
      </span>
    </>
  );
}

type State = { kind: 'loading' } | { kind: 'signin' } | { kind: 'missing' } | { kind: 'error'; message: string } | { kind: 'ready'; req: RequestDetail };

/** One small form with its own GOV.UK error summary and a status line once done. */
function useFormState() {
  const [errors, setErrors] = useState<FormError[]>([]);
  const [count, setCount] = useState(0);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  return {
    errors,
    count,
    done,
    busy,
    setBusy,
    fail: (e: FormError[]) => {
      setErrors(e);
      setDone('');
      setCount((n) => n + 1);
    },
    ok: (msg: string) => {
      setErrors([]);
      setDone(msg);
    },
  };
}

export default function RequestPage({ number }: { number: string }) {
  const c = usePortalChannelsT();
  const t = useT();
  const lang = useLang();
  const errorText = useErrorText();
  const [state, setState] = useState<State>({ kind: 'loading' });

  const load = useCallback(async () => {
    try {
      const req = await portalApi.get(number);
      setState({ kind: 'ready', req });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setState({ kind: 'signin' });
      else if (err instanceof ApiError && err.status === 404 && err.code !== 'ROUTE_NOT_FOUND') setState({ kind: 'missing' });
      else if (err instanceof ApiError && err.code === 'ROUTE_NOT_FOUND') setState({ kind: 'error', message: t('mineUnavailable') });
      else setState({ kind: 'error', message: errorText(err) });
    }
  }, [number]);  

  useEffect(() => {
    void load();
    // An answer may arrive while the page is open in another tab: refresh when coming back.
    const onFocus = () => void load();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [load]);

  const reply = useFormState();
  const [replyText, setReplyText] = useState('');
  const docs = useFormState();
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [fileProblems, setFileProblems] = useState<string[]>([]);
  const rating = useFormState();
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const reopen = useFormState();
  const [reason, setReason] = useState('');

  const anyError = reply.errors.length + docs.errors.length + rating.errors.length + reopen.errors.length > 0;
  usePortalTitle(t('detailTitle', { number }), anyError);

  if (state.kind === 'loading') return <Loading />;
  if (state.kind === 'signin') {
    return (
      <>
        <PageHeading>{t('detailTitle', { number })}</PageHeading>
        <LinkRequestForm />
      </>
    );
  }
  if (state.kind === 'missing' || state.kind === 'error') {
    return (
      <>
        <PageHeading>{t('detailTitle', { number })}</PageHeading>
        <Alert color="red" variant="outline" role="alert" mb="md">
          {state.kind === 'missing' ? t('detailNotFound') : state.message}
        </Alert>
        <Link to="/mes-demandes">{t('detailBack')}</Link>
      </>
    );
  }
  const req = state.req;

  const sendReply = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!replyText.trim()) return reply.fail([{ field: 'reply', message: t('errReply') }]);
    reply.setBusy(true);
    try {
      await portalApi.reply(req.number, replyText.trim());
      setReplyText('');
      reply.ok(t('replySent'));
      await load();
    } catch (err) {
      reply.fail([{ field: 'reply', message: errorText(err) }]);
    } finally {
      reply.setBusy(false);
    }
  };

  const sendFiles = async (e: React.FormEvent) => {
    e.preventDefault();
    if (fileProblems.length) return docs.fail(fileProblems.map((m) => ({ field: 'more-files', message: m })));
    if (!files.length) return docs.fail([{ field: 'more-files', message: t('errNoFile') }]);
    docs.setBusy(true);
    try {
      await portalApi.attach(
        req.number,
        files.map((f) => f.file),
      );
      docs.ok(t('docsSent', { n: files.length }));
      files.forEach((f) => f.url && URL.revokeObjectURL(f.url));
      setFiles([]);
      await load();
    } catch (err) {
      docs.fail([{ field: 'more-files', message: errorText(err) }]);
    } finally {
      docs.setBusy(false);
    }
  };

  const sendRating = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!score) return rating.fail([{ field: 'score-1', message: t('errRate') }]);
    rating.setBusy(true);
    try {
      await portalApi.rate(req.number, score, comment.trim() || undefined);
      rating.ok(t('rateThanks', { score }));
      await load();
    } catch (err) {
      rating.fail([{ field: 'score-1', message: errorText(err) }]);
    } finally {
      rating.setBusy(false);
    }
  };

  const sendReopen = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return reopen.fail([{ field: 'reopen-reason', message: t('errNotSolved') }]);
    reopen.setBusy(true);
    try {
      await portalApi.reopen(req.number, reason.trim());
      setReason('');
      reopen.ok(t('reopened'));
      await load();
    } catch (err) {
      reopen.fail([{ field: 'reopen-reason', message: errorText(err) }]);
    } finally {
      reopen.setBusy(false);
    }
  };

  const resolved = req.status === 'resolved' || req.status === 'closed';
  const filesError = docs.errors.map((e) => e.message).join('. ') || undefined;

  return (
    <Stack gap="xl">
      <div>
        <Link to="/mes-demandes">{t('detailBack')}</Link>
        <PageHeading>
          <WithNumber text={t('detailTitle', { number: req.number })} number={req.number} />
        </PageHeading>
        <Text size="lg" fw={700}>
          {req.subject}
        </Text>
        <Text>
          {t('detailStatus', { status: '' })}
          <span lang="fr">{req.statusLabel}</span>
        </Text>
        <StepProgress step={req.step} id="progress-detail" />
      </div>

      <VerificationCode code={req.verificationCode} />

      <section aria-labelledby="conversation-title">
        <Title order={2} id="conversation-title" mb="md">
          {t('conversationTitle')}
        </Title>
        <ol className="portal-messages">
          <li className="portal-message" data-from="me">
            <header>
              {t('yourRequest')}
              {req.createdAt && (
                <>
                  {' — '}
                  <time dateTime={req.createdAt}>{formatDateTime(req.createdAt, lang)}</time>
                </>
              )}
            </header>
            <p>{req.description}</p>
          </li>
          {req.messages.map((m) => (
            <li key={m.id} className="portal-message" data-from={m.from}>
              <header>
                {m.from === 'me' ? t('fromMe') : m.authorName ? t('fromAdviser', { name: m.authorName }) : t('fromAdviserAnon')} — <time dateTime={m.createdAt}>{formatDateTime(m.createdAt, lang)}</time>
              </header>
              <p>{m.body}</p>
              {m.attachments.length > 0 && (
                <ul>
                  {m.attachments.map((a) => (
                    <li key={a.id}>
                      <RequestFile number={req.number} file={a} />
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
        {!req.messages.some((m) => m.from === 'adviser') && <Text mt="md">{req.answeredAt ? t('answeredByPhone', { date: formatDateTime(req.answeredAt, lang) }) : t('noMessages')}</Text>}
        {req.canReply && (
          <Text mt="md" size="lg">
            <Link to={`/rappel?demande=${encodeURIComponent(req.number)}`}>{c('cbLinkAbout')}</Link>
          </Text>
        )}
      </section>

      {req.canReply && (
        <section aria-labelledby="reply-title">
          <Title order={2} id="reply-title" mb="sm">
            {t('replyTitle')}
          </Title>
          <form onSubmit={sendReply} noValidate>
            <ErrorSummary errors={reply.errors} focusKey={reply.count} />
            <Stack gap="md">
              <Textarea id="reply" label={t('replyLabel')} minRows={4} autosize value={replyText} onChange={(e) => setReplyText(e.currentTarget.value)} error={fieldError(reply.errors[0]?.message)} inputWrapperOrder={['label', 'description', 'error', 'input']} />
              <div>
                <Button type="submit" aria-disabled={reply.busy || undefined}>
                  {t('replySubmit')}
                </Button>
              </div>
              <p role="status" style={{ margin: 0 }}>
                {reply.done}
              </p>
            </Stack>
          </form>
        </section>
      )}

      {/* A finished request takes no more files: the heading stays only above files to show. */}
      {(!resolved || req.attachments.length > 0) && (
        <section aria-labelledby="docs-title">
          <Title order={2} id="docs-title" mb="sm">
            {t('docsTitle')}
          </Title>
          {req.attachments.length > 0 && (
            <ul>
              {req.attachments.map((a) => (
                <li key={a.id}>
                  <RequestFile number={req.number} file={a} />
                </li>
              ))}
            </ul>
          )}
          {!resolved && (
            <form onSubmit={sendFiles} noValidate>
              <ErrorSummary errors={docs.errors} focusKey={docs.count} />
              <Stack gap="md">
                <FilePicker id="more-files" legend={t('docsLegend')} files={files} onChange={setFiles} onProblems={setFileProblems} error={filesError} lang={lang} />
                <div>
                  <Button type="submit" variant="outline" aria-disabled={docs.busy || undefined}>
                    {t('docsAdd')}
                  </Button>
                </div>
                <p role="status" style={{ margin: 0 }}>
                  {docs.done}
                </p>
              </Stack>
            </form>
          )}
        </section>
      )}

      {req.rating && (
        <Alert color="green" variant="outline">
          {t('rateThanks', { score: req.rating.score })}
        </Alert>
      )}

      {req.canRate && !req.rating && (
        <section aria-labelledby="rate-title">
          <Title order={2} id="rate-title" mb="sm">
            {t('rateTitle')}
          </Title>
          <form onSubmit={sendRating} noValidate>
            <ErrorSummary errors={rating.errors} focusKey={rating.count} />
            <Stack gap="md">
              <fieldset className="portal-fieldset" data-error={rating.errors.length ? 'true' : undefined}>
                <legend>{t('rateLegend')}</legend>
                {rating.errors[0] && (
                  <p className="field-error">
                    <FieldError message={rating.errors[0].message} />
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
              <Textarea id="rate-comment" label={t('rateComment')} minRows={3} autosize value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
              <div>
                <Button type="submit" aria-disabled={rating.busy || undefined}>
                  {t('rateSubmit')}
                </Button>
              </div>
              <p role="status" style={{ margin: 0 }}>
                {rating.done}
              </p>
            </Stack>
          </form>
        </section>
      )}

      {(req.canReopen ?? req.status === 'resolved') && (
        <section aria-labelledby="reopen-title">
          <Title order={2} id="reopen-title" mb="sm">
            {t('notSolvedTitle')}
          </Title>
          <form onSubmit={sendReopen} noValidate>
            <ErrorSummary errors={reopen.errors} focusKey={reopen.count} />
            <Stack gap="md">
              <Textarea id="reopen-reason" label={t('notSolvedLabel')} minRows={3} autosize value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(reopen.errors[0]?.message)} inputWrapperOrder={['label', 'description', 'error', 'input']} />
              <div>
                <Button type="submit" variant="outline" color="red" aria-disabled={reopen.busy || undefined}>
                  {t('notSolvedSubmit')}
                </Button>
              </div>
            </Stack>
          </form>
        </section>
      )}
      {reopen.done && (
        <p role="status" style={{ margin: 0 }}>
          {reopen.done}
        </p>
      )}
    </Stack>
  );
}
