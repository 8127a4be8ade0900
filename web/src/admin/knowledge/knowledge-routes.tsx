import './knowledge.css';
import type { ReactNode } from 'react';
import { match } from '../../shared/router';
import { KnowledgeEditor } from './KnowledgeEditor';
import { KnowledgeList } from './KnowledgeList';
import { VersionHistory } from './VersionHistory';

/** The admin pages for procedures and help articles (admins and supervisors), or null for another address. */
export function knowledgeRoute(pathname: string): ReactNode {
  if (pathname === '/admin/procedures') return <KnowledgeList key="procedure" kind="procedure" />;
  if (pathname === '/admin/articles') return <KnowledgeList key="article" kind="article" />;
  if (pathname === '/admin/nouvelle-procedure') return <KnowledgeEditor key="new-procedure" kind="procedure" slug={null} />;
  if (pathname === '/admin/nouvel-article') return <KnowledgeEditor key="new-article" kind="article" slug={null} />;
  for (const [kind, base] of [
    ['procedure', '/admin/procedures'],
    ['article', '/admin/articles'],
  ] as const) {
    const history = match(`${base}/:slug/versions`, pathname);
    if (history) return <VersionHistory key={`${kind}-${history.slug}-history`} kind={kind} slug={history.slug!} />;
    const edit = match(`${base}/:slug`, pathname);
    if (edit) return <KnowledgeEditor key={`${kind}-${edit.slug}`} kind={kind} slug={edit.slug!} />;
  }
  return null;
}
