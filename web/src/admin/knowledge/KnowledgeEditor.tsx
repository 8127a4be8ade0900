import { Alert, Anchor, Autocomplete, Button, Group, MultiSelect, Paper, Select, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../shared/api';
import { formatDateTime, useLang } from '../../shared/i18n';
import { Link, navigate } from '../../shared/router';
import { useLabels } from '../../console/labels';
import { useT } from '../../console/messages';
import { useConsoleTitle } from '../../console/session';
import { ErrorAlert, ErrorSummary, useErrorMessage, useUnsavedGuard } from '../admin-kit';
import { adminPath, knowledgeApi, SEVERITIES, slugify, type ConflictDetails, type Content, type ProcedureStats, type ContentInput, type ContentStatus, type Kind, type Procedure, type Severity } from './knowledge-api';
import { StatusBadge, useKnowledgeLabels } from './knowledge-labels';
import { joinProcedure, splitProcedure, type ProcedureSections } from './procedure-markdown';
import { ProcedureFields } from './ProcedureFields';

const MarkdownView = lazy(() => import('../../shared/markdown'));

interface Draft {
  slug: string;
  title: string;
  summary: string;
  category: string;
  keywords: string[];
  severity: Severity;
  level: string;
  related: string[];
  body: string;
  sections: ProcedureSections;
  note: string;
}

const EMPTY_SECTIONS: ProcedureSections = { steps: [''], scripts: [''], escalation: '', contacts: '', other: '' };

function draftOf(c: Content | null): { draft: Draft; lossless: boolean } {
  const p = c as Procedure | null;
  const split = c ? splitProcedure(c.body) : { sections: EMPTY_SECTIONS, lossless: true };
  return {
    draft: { slug: c?.slug ?? '', title: c?.title ?? '', summary: c?.summary ?? '', category: c?.category ?? '', keywords: c?.keywords ?? [], severity: p?.severity ?? 'normal', level: String(p?.level ?? 1), related: p?.related ?? [], body: c?.body ?? '', sections: split.sections, note: '' },
    lossless: split.lossless,
  };
}

/** A message shown on the page reached after a save that changed the address (a new item). */
let flash = '';

type Errors = Partial<Record<'slug' | 'title' | 'summary' | 'category' | 'body' | 'steps', string>>;

/**
 * Create or edit a procedure or an article: the fields, the Markdown with a live preview,
 * publish or take back, and a clear stop when someone else saved in the meantime.
 */
export function KnowledgeEditor({ kind, slug }: { kind: Kind; slug: string | null }) {
  const t = useT();
  const L = useLabels();
  const K = useKnowledgeLabels();
  const lang = useLang();
  const messageOf = useErrorMessage();
  const [loaded, setLoaded] = useState<Content | null>(null);
  const [d, setD] = useState<Draft>(() => draftOf(null).draft);
  const [initial, setInitial] = useState('');
  const [mode, setMode] = useState<'fields' | 'markdown'>('fields');
  const [all, setAll] = useState<Content[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<{ message: string; details: ConflictDetails } | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(() => {
    const f = flash;
    flash = '';
    return f;
  });
  const [slugTouched, setSlugTouched] = useState(false);
  const [notFound, setNotFound] = useState(false);
  const [stats, setStats] = useState<ProcedureStats | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const procedure = kind === 'procedure';
  const creating = slug === null;
  const pageTitle = creating ? (procedure ? t('knNewProcedure') : t('knNewArticle')) : t('knEditTitle', { title: loaded?.title ?? '…' });
  useConsoleTitle(pageTitle, Object.keys(errors).length > 0);

  const reset = (c: Content | null) => {
    const { draft, lossless } = draftOf(c);
    setD(draft);
    setMode(procedure && lossless ? 'fields' : procedure ? 'markdown' : 'fields');
    setInitial(JSON.stringify(payloadOf(draft, procedure && lossless ? 'fields' : 'markdown', c?.status ?? 'draft')));
  };

  useEffect(() => {
    knowledgeApi.list(kind).then(setAll).catch(() => setAll([]));
    if (creating) return reset(null);
    if (procedure) knowledgeApi.stats(slug).then(setStats).catch(() => setStats(null));
    knowledgeApi
      .get(kind, slug)
      .then((c) => {
        setLoaded(c);
        reset(c);
      })
      .catch((err) => (err instanceof ApiError && err.status === 404 ? setNotFound(true) : setError(messageOf(err))));
  }, [kind, slug]);

  const bodyOf = (draft: Draft, m = mode) => (procedure && m === 'fields' ? joinProcedure(draft.sections) : draft.body);
  function payloadOf(draft: Draft, m: 'fields' | 'markdown', status: ContentStatus): ContentInput {
    const base = { slug: draft.slug.trim(), title: draft.title.trim(), summary: draft.summary.trim(), category: draft.category.trim(), keywords: draft.keywords, body: bodyOf(draft, m), status };
    return procedure ? { ...base, severity: draft.severity, level: Number(draft.level), related: draft.related } : base;
  }
  const current = payloadOf(d, mode, loaded?.status ?? 'draft');
  const dirty = JSON.stringify(current) !== initial;

  useUnsavedGuard(dirty, t('knLeaveConfirm'));

  // A field's error goes away as soon as it is changed; the others stay until the next save.
  const clearError = (k: keyof Errors) => setErrors((e) => (k in e ? Object.fromEntries(Object.entries(e).filter(([key]) => key !== k)) : e));
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setD((x) => ({ ...x, [k]: v }));
    clearError(k === 'sections' ? 'steps' : (k as keyof Errors));
  };

  const validate = (): Errors => {
    const e: Errors = {};
    if (creating && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(d.slug.trim())) e.slug = t('knErrSlug');
    if (d.title.trim().length < 3) e.title = t('knErrTitle');
    if (d.summary.trim().length < 3) e.summary = t('knErrSummary');
    if (d.category.trim().length < 2) e.category = t('knErrCategory');
    if (procedure && mode === 'fields') {
      if (!d.sections.steps.some((s) => s.trim())) e.steps = t('knErrSteps');
    } else if (d.body.trim().length < 10) e.body = t('knErrBody');
    return e;
  };

  const save = async (status: ContentStatus, force = false) => {
    const problems = validate();
    setErrors(problems);
    setDone('');
    setError(null);
    if (Object.keys(problems).length) {
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setBusy(true);
    const auto = !loaded || status === loaded.status ? '' : status === 'published' ? t('knNotePublished') : t('knNoteUnpublished');
    const note = [d.note.trim(), auto].filter(Boolean).join(' — ') || undefined;
    const baseVersion = force && conflict ? conflict.details.currentVersion : loaded?.version;
    try {
      const input = { ...payloadOf(d, mode, status), ...(note ? { note } : {}), ...(baseVersion ? { baseVersion } : {}) };
      const saved = creating ? await knowledgeApi.create(kind, input) : await knowledgeApi.save(kind, d.slug, input);
      setConflict(null);
      const message = t('knSavedVersion', { n: saved.version, state: K.status(saved.status) });
      if (creating) {
        flash = message;
        navigate(adminPath.edit(kind, saved.slug), { replace: true });
        return;
      }
      setLoaded(saved);
      reset(saved);
      setDone(message);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') setConflict({ message: err.message, details: err.details as ConflictDetails });
      else if (err instanceof ApiError && err.code === 'SLUG_TAKEN') setErrors({ slug: err.message });
      else if (err instanceof ApiError && err.fieldProblems().length) setError(`${err.message}`);
      else setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const switchMode = () => {
    if (mode === 'fields') {
      setD((x) => ({ ...x, body: joinProcedure(x.sections) }));
      setMode('markdown');
      return;
    }
    const split = splitProcedure(d.body);
    if (!split.lossless) return setError(t('knFieldsImpossible'));
    setError(null);
    setD((x) => ({ ...x, sections: split.sections }));
    setMode('fields');
  };

  const categories = useMemo(() => [...new Set(all.map((c) => c.category))].sort(), [all]);
  const relatedOptions = useMemo(() => all.filter((c) => c.slug !== d.slug).map((c) => ({ value: c.slug, label: c.title })), [all, d.slug]);
  const previewBody = bodyOf(d);
  const errorList = Object.entries(errors) as [keyof Errors, string][];
  const fieldId: Record<keyof Errors, string> = { slug: 'kn-slug', title: 'kn-title', summary: 'kn-summary', category: 'kn-category', body: 'kn-body', steps: 'kn-steps' };

  if (notFound) {
    return (
      <Stack>
        <Title order={1}>{t('notFound')}</Title>
        <Link to={adminPath.list(kind)}>{procedure ? t('adminProcedures') : t('adminArticles')}</Link>
      </Stack>
    );
  }

  const publishedNow = loaded?.status === 'published';
  return (
    <Stack gap="md">
      <Anchor component={Link} to={adminPath.list(kind)} size="sm">
        ← {procedure ? t('adminProcedures') : t('adminArticles')}
      </Anchor>
      <Title order={1}>{pageTitle}</Title>
      {loaded && (
        <Group gap="sm">
          <StatusBadge status={loaded.status} />
          <Text size="sm">{t('knVersionSaved', { n: loaded.version, date: formatDateTime(loaded.updatedAt, lang) })}</Text>
          <Link to={adminPath.history(kind, loaded.slug)}>{t('knHistory')}</Link>
          {stats && (
            <Text size="sm" c="dimmed">
              {stats.timesApplied === 0
                ? t('knStatsNone')
                : t('knStats', {
                    n: stats.timesApplied,
                    fcr: stats.firstContactResolutionRate === null ? '—' : `${Math.round(stats.firstContactResolutionRate * 100)}\u00a0%`,
                    avg: stats.averageHandlingMinutes === null ? '—' : `${stats.averageHandlingMinutes}\u00a0min`,
                  })}
            </Text>
          )}
          {!procedure && publishedNow && (
            <a href={`/aide/${loaded.slug}`} target="_blank" rel="noopener">
              {t('knSeeOnHelp')}
            </a>
          )}
        </Group>
      )}
      <p role="status" className="kn-done">
        {done}
      </p>
      <ErrorSummary ref={summaryRef} title={t('knErrorsTitle')} errors={errorList} fieldId={fieldId} />
      <ErrorAlert error={error} />
      {conflict && (
        <Alert color="red" variant="outline" role="alert" title={t('knConflictTitle')}>
          <Stack gap="xs">
            <Text>{conflict.message}</Text>
            {conflict.details.updatedAt && <Text size="sm">{t('knConflictWhen', { who: conflict.details.updatedBy ?? t('someone'), date: formatDateTime(conflict.details.updatedAt, lang) })}</Text>}
            <Text size="sm">{t('knConflictKept')}</Text>
            <Group gap="sm">
              <Button component="a" href={adminPath.history(kind, d.slug)} target="_blank" rel="noopener" variant="default">
                {t('knConflictSee')}
              </Button>
              <Button color="red" onClick={() => void save(loaded?.status ?? 'draft', true)} loading={busy}>
                {t('knConflictOverwrite')}
              </Button>
              <Button
                variant="default"
                onClick={() => {
                  setConflict(null);
                  void knowledgeApi.get(kind, d.slug).then((c) => {
                    setLoaded(c);
                    reset(c);
                    setDone(t('knReloaded', { n: c.version }));
                  });
                }}
              >
                {t('knConflictReload')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {(creating || loaded) && (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void save(loaded?.status ?? 'draft');
            }}
            noValidate
          >
            <Stack gap="md">
              <TextInput id="kn-title" label={t('knTitle')} value={d.title} required error={errors.title} onChange={(e) => {
                const title = e.currentTarget.value;
                setD((x) => ({ ...x, title, slug: creating && !slugTouched ? slugify(title) : x.slug }));
                clearError('title');
                if (creating && !slugTouched) clearError('slug');
              }} />
              {creating ? (
                <TextInput id="kn-slug" label={t('knSlug')} description={t('knSlugHint')} value={d.slug} required error={errors.slug} onChange={(e) => {
                  setSlugTouched(true);
                  set('slug', e.currentTarget.value);
                }} />
              ) : (
                <Text size="sm">
                  {t('knSlug')}{'\u00a0'}: <code>{d.slug}</code> — {t('knSlugFixed')}
                </Text>
              )}
              <Textarea id="kn-summary" label={t('knSummary')} description={procedure ? t('knSummaryHintProcedure') : t('knSummaryHintArticle')} value={d.summary} required error={errors.summary} onChange={(e) => set('summary', e.currentTarget.value)} autosize minRows={2} maxLength={500} />
              <Autocomplete id="kn-category" label={t('knCategory')} description={t('knCategoryHint')} data={categories} value={d.category} required error={errors.category} onChange={(v) => set('category', v)} />
              {procedure && (
                <>
                  <Select label={t('knSeverity')} data={SEVERITIES.map((s) => ({ value: s, label: K.severity(s) }))} value={d.severity} onChange={(v) => v && set('severity', v as Severity)} allowDeselect={false} />
                  <Select label={t('knLevel')} description={t('knLevelHint')} data={['1', '2', '3'].map((l) => ({ value: l, label: L.level(Number(l)) }))} value={d.level} onChange={(v) => v && set('level', v)} allowDeselect={false} />
                </>
              )}
              <TagsInput label={t('knKeywords')} description={procedure ? t('knKeywordsHintProcedure') : t('knKeywordsHintArticle')} value={d.keywords} onChange={(v) => set('keywords', v)} />
              {procedure && <MultiSelect label={t('knRelated')} description={t('knRelatedHint')} data={relatedOptions} value={d.related} onChange={(v) => set('related', v)} searchable nothingFoundMessage={t('knNoMatch')} />}
              {procedure && (
                <Group justify="space-between" align="center">
                  <Text fw={600}>{mode === 'fields' ? t('knContentFields') : t('knContentMarkdown')}</Text>
                  <Button variant="subtle" size="compact-sm" onClick={switchMode}>
                    {mode === 'fields' ? t('knSwitchMarkdown') : t('knSwitchFields')}
                  </Button>
                </Group>
              )}
              {procedure && mode === 'fields' ? (
                <ProcedureFields value={d.sections} onChange={(s) => set('sections', s)} stepsError={errors.steps} />
              ) : (
                <Textarea
                  id="kn-body"
                  label={t('knBody')}
                  description={procedure ? t('knBodyHintProcedure') : t('knBodyHintArticle')}
                  value={d.body}
                  required
                  error={errors.body}
                  onChange={(e) => set('body', e.currentTarget.value)}
                  autosize
                  minRows={14}
                  maxRows={40}
                  className="kn-markdown-input"
                />
              )}
              <TextInput label={t('knNote')} description={t('knNoteHint')} value={d.note} onChange={(e) => set('note', e.currentTarget.value)} maxLength={300} />
              <Group gap="sm">
                {creating || !publishedNow ? (
                  <>
                    <Button type="submit" variant="default" loading={busy}>
                      {t('knSaveDraft')}
                    </Button>
                    <Button onClick={() => void save('published')} loading={busy}>
                      {creating ? t('knSavePublish') : t('knPublish')}
                    </Button>
                  </>
                ) : (
                  <>
                    <Button type="submit" loading={busy}>
                      {t('knSavePublished')}
                    </Button>
                    <Button variant="default" onClick={() => void save('draft')} loading={busy}>
                      {procedure ? t('knUnpublishProcedure') : t('knUnpublishArticle')}
                    </Button>
                  </>
                )}
                {dirty && !creating && (
                  <Text size="sm" c="orange.9">
                    {t('knUnsaved')}
                  </Text>
                )}
              </Group>
            </Stack>
          </form>
          <section aria-labelledby="kn-preview-title" className="kn-preview-column">
            {/* Focusable: on wide screens the preview scrolls on its own, and keyboards must reach it. */}
            <Paper withBorder p="md" className="kn-preview" tabIndex={0}>
              <Title order={2} size="h4" id="kn-preview-title" mb="xs">
                {t('knPreview')}
              </Title>
              <Text size="sm" c="dimmed" mb="md">
                {procedure ? t('knPreviewHintProcedure') : t('knPreviewHintArticle')}
              </Text>
              <div className="kn-preview-title" lang="fr">
                {d.title || t('knUntitled')}
              </div>
              {d.summary && (
                <Text fw={500} mb="sm" lang="fr">
                  {d.summary}
                </Text>
              )}
              <Suspense fallback={<p>{t('loading')}</p>}>
                <MarkdownView source={previewBody} className="kn-markdown" lang="fr" />
              </Suspense>
            </Paper>
          </section>
        </SimpleGrid>
      )}
      {!creating && !loaded && !error && <p role="status">{t('loading')}</p>}
    </Stack>
  );
}
