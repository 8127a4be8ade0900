import { Alert, Anchor, Badge, Button, Group, Modal, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../shared/api';
import { formatDateTime, useLang } from '../../shared/i18n';
import { Link } from '../../shared/router';
import { useLabels } from '../../console/labels';
import { useT } from '../../console/messages';
import { useConsoleTitle } from '../../console/session';
import { AdminTable, ErrorAlert, useErrorMessage } from '../admin-kit';
import { adminPath, knowledgeApi, type Content, type Kind, type Version } from './knowledge-api';
import { StatusBadge, useKnowledgeLabels } from './knowledge-labels';
import { diffLines, foldUnchanged } from './text-diff';

const FIELDS = ['title', 'summary', 'status', 'severity', 'category', 'level', 'keywords', 'related', 'body'] as const;
type Field = (typeof FIELDS)[number];

/** Who changed what, when; any two versions side by side; restore an old one (saved as a new version). */
export function VersionHistory({ kind, slug }: { kind: Kind; slug: string }) {
  const t = useT();
  const lang = useLang();
  const messageOf = useErrorMessage();
  const [content, setContent] = useState<Content | null>(null);
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Version | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');
  useConsoleTitle(t('knHistoryTitle', { title: content?.title ?? '…' }));

  const load = async () => {
    const [c, v] = await Promise.all([knowledgeApi.get(kind, slug), knowledgeApi.versions(kind, slug)]);
    setContent(c);
    setVersions(v);
    // By default: the latest change (the previous version against the current one).
    setTo(String(v[0]?.version ?? ''));
    setFrom(String(v[1]?.version ?? v[0]?.version ?? ''));
    return { c, v };
  };
  useEffect(() => {
    load().catch((err) => setError(messageOf(err)));
  }, [kind, slug]);

  const restore = async () => {
    if (!confirm || !content) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await knowledgeApi.restore(kind, slug, confirm.version, content.version);
      await load();
      setDone(t('knRestored', { old: confirm.version, n: saved.version }));
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'VERSION_CONFLICT' ? `${err.message} ${t('knRestoreReloaded')}` : messageOf(err));
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') await load().catch(() => undefined);
    } finally {
      setBusy(false);
      setConfirm(null);
    }
  };

  const byVersion = useMemo(() => new Map((versions ?? []).map((v) => [String(v.version), v])), [versions]);
  const options = (versions ?? []).map((v) => ({ value: String(v.version), label: t('knVersionOption', { n: v.version, date: formatDateTime(v.createdAt, lang), who: v.authorName ?? t('system') }) }));
  const a = from ? byVersion.get(from) : undefined;
  const b = to ? byVersion.get(to) : undefined;

  return (
    <Stack gap="md">
      <Anchor component={Link} to={adminPath.edit(kind, slug)} size="sm">
        ← {content?.title ?? slug}
      </Anchor>
      <Title order={1}>{t('knHistoryTitle', { title: content?.title ?? '…' })}</Title>
      <Text>{t('knHistoryHelp')}</Text>
      <p role="status" className="kn-done">
        {done}
      </p>
      <ErrorAlert error={error} />
      {!versions ? (
        !error && <p role="status">{t('loading')}</p>
      ) : (
        <>
          <AdminTable caption={t('knVersionsCaption', { n: versions.length })} columns={[t('knVersion'), t('knWhen'), t('knWho'), t('knWhat'), t('knState')]} actions minWidth={720} verticalSpacing="sm">
            {versions.map((v, i) => (
              <Table.Tr key={v.version}>
                <Table.Th scope="row">
                  {t('knVersionN', { n: v.version })}
                  {i === 0 && (
                    <Badge ml="xs" variant="light" color="relais">
                      {t('knCurrent')}
                    </Badge>
                  )}
                </Table.Th>
                <Table.Td>{formatDateTime(v.createdAt, lang)}</Table.Td>
                <Table.Td>{v.authorName ?? t('system')}</Table.Td>
                <Table.Td>
                  {v.note ?? ''}
                  {versions[i + 1] && <Text size="sm" c="dimmed">{changedFields(versions[i + 1]!, v).map((f) => t(FIELD_LABEL[f])).join(', ') || t('knNoChange')}</Text>}
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={(v.snapshot.status as 'draft' | 'published') ?? 'draft'} />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {versions[i + 1] && (
                      <Button
                        size="compact-sm"
                        variant="default"
                        onClick={() => {
                          setFrom(String(versions[i + 1]!.version));
                          setTo(String(v.version));
                          document.getElementById('kn-compare')?.focus();
                        }}
                      >
                        {t('knCompareWithPrevious')}
                        <span className="visually-hidden"> ({t('knVersionN', { n: v.version })})</span>
                      </Button>
                    )}
                    {i > 0 && (
                      <Button size="compact-sm" variant="light" onClick={() => setConfirm(v)}>
                        {t('knRestoreN', { n: v.version })}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </AdminTable>

          <section aria-labelledby="kn-compare">
            <Title order={2} id="kn-compare" tabIndex={-1} mb="sm">
              {t('knCompare')}
            </Title>
            <Group gap="md" mb="md" align="flex-end">
              <Select label={t('knCompareFrom')} data={options} value={from} onChange={setFrom} allowDeselect={false} w={360} />
              <Select label={t('knCompareTo')} data={options} value={to} onChange={setTo} allowDeselect={false} w={360} />
            </Group>
            {a && b && <VersionDiff before={a} after={b} />}
          </section>
        </>
      )}
      <Modal opened={!!confirm} onClose={() => setConfirm(null)} title={confirm ? t('knRestoreConfirmTitle', { n: confirm.version }) : ''} closeButtonProps={{ 'aria-label': t('close') }}>
        {confirm && content && (
          <Stack gap="sm">
            <Text>{t('knRestoreConfirmText', { old: confirm.version, n: content.version + 1, current: content.version })}</Text>
            {confirm.snapshot.status !== content.status && (
              <Alert color="orange" variant="light">
                {confirm.snapshot.status === 'published' ? t('knRestoreWillPublish') : t('knRestoreWillUnpublish')}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)} data-autofocus>
                {t('cancel')}
              </Button>
              <Button onClick={() => void restore()} loading={busy}>
                {t('knRestoreConfirm', { n: confirm.version })}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

const FIELD_LABEL: Record<Field, 'knTitle' | 'knSummary' | 'knState' | 'knSeverity' | 'knCategory' | 'knLevel' | 'knKeywords' | 'knRelated' | 'knBody'> = {
  title: 'knTitle',
  summary: 'knSummary',
  status: 'knState',
  severity: 'knSeverity',
  category: 'knCategory',
  level: 'knLevel',
  keywords: 'knKeywords',
  related: 'knRelated',
  body: 'knBody',
};

const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
function changedFields(before: Version, after: Version): Field[] {
  return FIELDS.filter((f) => (f in before.snapshot || f in after.snapshot) && !same(before.snapshot[f], after.snapshot[f]));
}

/** Field by field: before and after for the short ones, a line-by-line comparison of the text. */
function VersionDiff({ before, after }: { before: Version; after: Version }) {
  const t = useT();
  const L = useLabels();
  const K = useKnowledgeLabels();
  const fields = changedFields(before, after);
  const show = (f: Field, v: unknown): string => {
    if (v === undefined || v === null || v === '') return '—';
    if (Array.isArray(v)) return v.join(', ') || '—';
    if (f === 'status') return K.status(String(v));
    if (f === 'severity') return K.severity(String(v));
    if (f === 'level') return L.level(Number(v));
    return String(v);
  };
  if (before.version === after.version) return <Text>{t('knSameVersion')}</Text>;
  if (!fields.length) return <Text>{t('knNoDifference', { a: before.version, b: after.version })}</Text>;
  const short = fields.filter((f) => f !== 'body');
  return (
    <Stack gap="md">
      {short.length > 0 && (
        <Table.ScrollContainer minWidth={600}>
          <Table withTableBorder withColumnBorders verticalSpacing="xs">
            <Table.Caption>{t('knDiffCaption', { a: before.version, b: after.version })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('knField')}</Table.Th>
                <Table.Th scope="col">{t('knVersionN', { n: before.version })}</Table.Th>
                <Table.Th scope="col">{t('knVersionN', { n: after.version })}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {short.map((f) => (
                <Table.Tr key={f}>
                  <Table.Th scope="row">{t(FIELD_LABEL[f])}</Table.Th>
                  <Table.Td className="kn-diff-old">{show(f, before.snapshot[f])}</Table.Td>
                  <Table.Td className="kn-diff-new">{show(f, after.snapshot[f])}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {fields.includes('body') && (
        <div>
          <Title order={3} size="h5" mb="xs">
            {t('knBodyChanges', { a: before.version, b: after.version })}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t('knDiffLegend')}
          </Text>
          <ol className="kn-diff" aria-label={t('knBodyChanges', { a: before.version, b: after.version })}>
            {foldUnchanged(diffLines(String(before.snapshot.body ?? ''), String(after.snapshot.body ?? ''))).map((l, i) =>
              l.op === 'fold' ? (
                <li key={i} className="kn-diff-fold">
                  {t('knUnchangedLines', { n: l.count })}
                </li>
              ) : (
                <li key={i} className={`kn-diff-${l.op}`}>
                  <span className="kn-diff-sign" aria-hidden="true">
                    {l.op === 'add' ? '+' : l.op === 'del' ? '−' : ' '}
                  </span>
                  {l.op !== 'same' && <span className="visually-hidden">{l.op === 'add' ? t('knAdded') : t('knRemoved')} </span>}
                  {l.op === 'del' ? <del>{l.text || ' '}</del> : l.op === 'add' ? <ins>{l.text || ' '}</ins> : l.text || ' '}
                </li>
              ),
            )}
          </ol>
        </div>
      )}
    </Stack>
  );
}
