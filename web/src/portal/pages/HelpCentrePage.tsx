import { Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Highlighted, splitHighlight } from '../../shared/highlight';
import { Icon } from '../../shared/icons';
import { useLang } from '../../shared/i18n';
import { Link, useLocation } from '../../shared/router';
import { PageHeading, usePortalTitle } from '../components';
import { helpApi, type HelpArticleSummary, type HelpHit } from '../help-api';
import { HelpSearchForm } from '../HelpSearchForm';
import { useT } from '../messages';
import { NeedHelp, useCategoryGroups } from './help-centre-parts';

/**
 * The help centre (/aide): a search that forgives missing accents and typos, or every article
 * by theme; the way to ask an adviser is always on the page.
 */
export default function HelpCentrePage() {
  const t = useT();
  const lang = useLang();
  const q = (useLocation().search.get('q') ?? '').trim();
  const [list, setList] = useState<HelpArticleSummary[] | null>(null);
  const [hits, setHits] = useState<{ q: string; items: HelpHit[] } | null>(null);
  const [failed, setFailed] = useState(false);
  usePortalTitle(q ? t('hcResultsTitle', { q }) : t('hcTitle'));

  useEffect(() => {
    setFailed(false);
    if (q) {
      let stale = false;
      helpApi
        .search(q)
        .then((items) => !stale && setHits({ q, items }))
        .catch(() => !stale && setFailed(true));
      return () => {
        stale = true;
      };
    }
    if (!list) helpApi.list().then(setList).catch(() => setFailed(true));
  }, [q]);

  const results = hits && hits.q === q ? hits.items : null;
  const groups = useCategoryGroups(list ?? []);
  const status = failed ? '' : q ? (results ? (results.length === 0 ? t('hcNoResults', { q }) : results.length === 1 ? t('hcResultsOne') : t('hcResultsMany', { n: results.length })) : t('hcSearching')) : '';

  return (
    <Stack gap="xl">
      <div>
        <PageHeading>{t('hcTitle')}</PageHeading>
        <Text size="lg">{t('hcIntro')}</Text>
        {lang !== 'fr' && (
          <Text mt="xs" lang={lang}>
            {t('hcFrenchOnly')}
          </Text>
        )}
      </div>
      <HelpSearchForm initial={q} />
      <div>
        {q && results && (
          <Title order={2} id="help-results-title" mb="xs">
            {t('hcResultsTitle', { q })}
          </Title>
        )}
        {/* Always in the page, so screen readers announce the count when the results arrive. */}
        <p role="status" className={q ? 'help-status' : 'visually-hidden'}>
          {status}
        </p>
      </div>
      {failed && (
        <div className="portal-card" role="alert">
          <Text>{t('hcLoadError')}</Text>
        </div>
      )}
      {q && results && (
        <section aria-labelledby="help-results-title">
          {results.length > 0 ? (
            <ul className="help-list">
              {results.map((h) => {
                const parts = splitHighlight(h);
                return (
                  <li key={h.slug} lang="fr">
                    <h3 className="help-list-title">
                      <Link to={`/aide/${h.slug}`}>
                        <Highlighted segments={parts.title} />
                      </Link>
                    </h3>
                    <p className="help-list-summary">
                      <Highlighted segments={parts.summary} />
                    </p>
                  </li>
                );
              })}
            </ul>
          ) : (
            <Text>{t('hcNoResultsTips')}</Text>
          )}
          <p>
            <Link to="/aide">{t('hcAllArticles')}</Link>
          </p>
        </section>
      )}
      {!q &&
        (list ? (
          list.length === 0 ? (
            <Text>{t('hcEmpty')}</Text>
          ) : (
            groups.map((g) => (
              <section key={g.key} aria-labelledby={`help-cat-${g.key}`}>
                <Title order={2} id={`help-cat-${g.key}`} mb="sm">
                  {g.label}
                </Title>
                <ul className="help-list">
                  {g.items.map((a) => (
                    <li key={a.slug} lang="fr">
                      <h3 className="help-list-title">
                        <Link to={`/aide/${a.slug}`}>{a.title}</Link>
                      </h3>
                      <p className="help-list-summary">{a.summary}</p>
                    </li>
                  ))}
                </ul>
              </section>
            ))
          )
        ) : (
          !failed && <p className="portal-loading">{t('loading')}</p>
        ))}
      <NeedHelp id="help-need-title" />
      <section aria-labelledby="help-safety-title" className="portal-safety">
        <Title order={2} id="help-safety-title" mb="xs" className="portal-icon-row">
          <Icon name="lock" />
          {t('helpTitle')}
        </Title>
        <Text mb="sm">{t('hcSafetyText')}</Text>
        <Link to="/se-proteger">{t('hcSafetyLink')}</Link>
      </section>
    </Stack>
  );
}
