import { Stack, Text } from '@mantine/core';
import { lazy, Suspense, useEffect, useState } from 'react';
import { ApiError } from '../../shared/api';
import { formatDateTime, useLang } from '../../shared/i18n';
import { Link } from '../../shared/router';
import { Loading } from '../PortalApp';
import { PageHeading, usePortalTitle } from '../components';
import { helpApi, type HelpArticle } from '../help-api';
import { useT } from '../messages';
import { NeedHelp } from './help-centre-parts';
import { NotFoundPage } from './NotFoundPage';

// The Markdown renderer is the heaviest part: fetched only when an article is opened.
const MarkdownView = lazy(() => import('../../shared/markdown'));

/** One help article (/aide/:slug), in large type, with the way back and the way to ask an adviser. */
export default function ArticlePage({ slug }: { slug: string }) {
  const t = useT();
  const lang = useLang();
  const [article, setArticle] = useState<HelpArticle | null>(null);
  const [missing, setMissing] = useState(false);
  const [failed, setFailed] = useState(false);
  usePortalTitle(article?.title ?? (failed ? t('hcTitle') : t('loading')));

  useEffect(() => {
    let stale = false;
    setArticle(null);
    helpApi
      .get(slug)
      .then((a) => !stale && setArticle(a))
      .catch((err) => !stale && (err instanceof ApiError && err.status === 404 ? setMissing(true) : setFailed(true)));
    return () => {
      stale = true;
    };
  }, [slug]);

  if (missing) return <NotFoundPage />;
  return (
    <Stack gap="lg">
      <Link to="/aide" className="help-back">
        <span aria-hidden="true">←</span> {t('hcBack')}
      </Link>
      {failed ? (
        <>
          <PageHeading>{t('hcTitle')}</PageHeading>
          <div className="portal-card" role="alert">
            <Text>{t('hcLoadError')}</Text>
          </div>
        </>
      ) : !article ? (
        <Loading />
      ) : (
        <article aria-labelledby="article-title" lang="fr">
          <PageHeading>
            <span id="article-title">{article.title}</span>
          </PageHeading>
          <Text size="lg" fw={500} className="help-lead">
            {article.summary}
          </Text>
          <Suspense fallback={<Loading />}>
            <MarkdownView source={article.body} className="help-article" />
          </Suspense>
          <Text mt="lg" className="help-updated" lang={lang}>
            {t('hcUpdated', { date: formatDateTime(article.updatedAt, lang, { dateStyle: 'long' }) })}
          </Text>
        </article>
      )}
      <NeedHelp id="article-need-title" />
    </Stack>
  );
}
