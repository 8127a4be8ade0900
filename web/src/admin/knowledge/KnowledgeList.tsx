import { Badge, Button, Group, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { formatDateTime, useLang } from '../../shared/i18n';
import { Highlighted, splitHighlight } from '../../shared/highlight';
import { Link } from '../../shared/router';
import { useLabels } from '../../console/labels';
import { useT } from '../../console/messages';
import { useConsoleTitle } from '../../console/session';
import { ErrorAlert, useErrorMessage } from '../admin-kit';
import { adminPath, knowledgeApi, type Content, type Kind, type Procedure, type SearchHit } from './knowledge-api';
import { StatusBadge, useKnowledgeLabels } from './knowledge-labels';

type Filter = 'all' | 'published' | 'draft';

/** Procedures or help articles: French search (typos, no accents), draft/published filter, a link to edit each. */
export function KnowledgeList({ kind }: { kind: Kind }) {
  const t = useT();
  const L = useLabels();
  const K = useKnowledgeLabels();
  const lang = useLang();
  const messageOf = useErrorMessage();
  const [items, setItems] = useState<Content[] | null>(null);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [error, setError] = useState<string | null>(null);
  const title = kind === 'procedure' ? t('adminProcedures') : t('adminArticles');
  useConsoleTitle(title);

  useEffect(() => {
    setItems(null);
    knowledgeApi
      .list(kind)
      .then(setItems)
      .catch((err) => setError(messageOf(err)));
  }, [kind]);

  // The server's search (stemming, accents, typos), a moment after the last key.
  useEffect(() => {
    const text = q.trim();
    if (!text) return setHits(null);
    const ctrl = { stale: false };
    const timer = setTimeout(() => {
      knowledgeApi
        .search(kind, text)
        .then((r) => !ctrl.stale && setHits(r))
        .catch((err) => !ctrl.stale && setError(messageOf(err)));
    }, 250);
    return () => {
      ctrl.stale = true;
      clearTimeout(timer);
    };
  }, [q, kind]);

  const rows = useMemo(() => {
    if (!items) return [];
    const bySlug = new Map(items.map((i) => [i.slug, i]));
    const found = hits ? hits.map((h) => ({ item: bySlug.get(h.slug), hit: h as SearchHit | null })).filter((r): r is { item: Content; hit: SearchHit } => !!r.item) : items.map((item) => ({ item, hit: null }));
    return found.filter((r) => filter === 'all' || r.item.status === filter);
  }, [items, hits, filter]);

  const counts = items ? { published: items.filter((i) => i.status === 'published').length, draft: items.filter((i) => i.status === 'draft').length } : null;
  const searching = !!q.trim();

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>{title}</Title>
        <Button component={Link} to={adminPath.create(kind)}>
          {kind === 'procedure' ? t('knNewProcedure') : t('knNewArticle')}
        </Button>
      </Group>
      <Text>{kind === 'procedure' ? t('knProceduresHelp') : t('knArticlesHelp')}</Text>
      <ErrorAlert error={error} />
      <Group align="flex-end" gap="md" role="search" component="form" onSubmit={(e) => e.preventDefault()}>
        <TextInput type="search" label={t('knSearchLabel')} description={t('knSearchHint')} value={q} onChange={(e) => setQ(e.currentTarget.value)} style={{ flex: '1 1 20rem' }} />
        <div>
          <Text component="span" id={`kn-filter-${kind}`} size="sm" fw={500} display="block" mb={4}>
            {t('knFilterLabel')}
          </Text>
          <SegmentedControl
            aria-labelledby={`kn-filter-${kind}`}
            value={filter}
            onChange={(v) => setFilter(v as Filter)}
            data={[
              { value: 'all', label: t('knFilterAll') },
              { value: 'published', label: counts ? `${t('knFilterPublished')} (${counts.published})` : t('knFilterPublished') },
              { value: 'draft', label: counts ? `${t('knFilterDraft')} (${counts.draft})` : t('knFilterDraft') },
            ]}
          />
        </div>
      </Group>
      <p role="status" className="visually-hidden">
        {items && (searching ? (hits ? t('knFound', { n: rows.length }) : '') : t('knCount', { n: rows.length }))}
      </p>
      {!items ? (
        !error && <p role="status">{t('loading')}</p>
      ) : rows.length === 0 ? (
        <Text>{searching ? t('knNoMatch') : t('knNone')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="sm">
            <Table.Caption>{searching ? t('knFound', { n: rows.length }) : t('knCount', { n: rows.length })}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('knTitle')}</Table.Th>
                <Table.Th scope="col">{t('knCategory')}</Table.Th>
                {kind === 'procedure' && <Table.Th scope="col">{t('knLevelSeverity')}</Table.Th>}
                <Table.Th scope="col">{t('knState')}</Table.Th>
                <Table.Th scope="col">{t('knUpdated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(({ item, hit }) => {
                const parts = hit ? splitHighlight(hit) : null;
                return (
                  <Table.Tr key={item.slug}>
                    <Table.Td>
                      <Link to={adminPath.edit(kind, item.slug)} className="kn-title-link">
                        {parts ? <Highlighted segments={parts.title} /> : item.title}
                      </Link>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {parts ? <Highlighted segments={parts.summary} /> : item.summary}
                      </Text>
                    </Table.Td>
                    <Table.Td>{L.category(item.category)}</Table.Td>
                    {kind === 'procedure' && (
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <span title={L.level((item as Procedure).level)}>{L.levelShort((item as Procedure).level)}</span>
                          <Badge color={K.severityColor((item as Procedure).severity)} variant="light">
                            {K.severity((item as Procedure).severity)}
                          </Badge>
                        </Group>
                      </Table.Td>
                    )}
                    <Table.Td>
                      <StatusBadge status={item.status} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(item.updatedAt, lang)}</Text>
                      <Text size="sm" c="dimmed">
                        {t('knVersionN', { n: item.version })}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
