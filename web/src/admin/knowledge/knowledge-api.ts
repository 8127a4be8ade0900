import { api, query } from '../../shared/api';

/** The admin side of /api/v1/procedures and /api/v1/articles (server/src/domains/knowledge). */
export type Kind = 'procedure' | 'article';
export type ContentStatus = 'draft' | 'published';
export const SEVERITIES = ['info', 'normal', 'high', 'critique'] as const;
export type Severity = (typeof SEVERITIES)[number];

interface ContentBase {
  slug: string;
  title: string;
  summary: string;
  category: string;
  keywords: string[];
  body: string;
  status: ContentStatus;
  version: number;
  updatedAt: string;
  createdAt: string;
}
export interface Procedure extends ContentBase {
  severity: Severity;
  level: number;
  related: string[];
  steps: string[];
  scripts: string[];
  escalation: string;
  officialContacts: string;
}
export type Article = ContentBase;
export type Content = Procedure | Article;

export interface SearchHit {
  slug: string;
  title: string;
  summary: string;
  highlight: string;
  score: number;
}

export interface Version {
  version: number;
  note: string | null;
  authorId: string | null;
  authorName: string | null;
  createdAt: string;
  snapshot: Record<string, unknown>;
}

/** What the server takes to create or save a version. */
export type ContentInput = Omit<Content, 'status' | 'version' | 'updatedAt' | 'createdAt' | 'steps' | 'scripts' | 'escalation' | 'officialContacts'> & {
  severity?: Severity;
  level?: number;
  related?: string[];
  status: ContentStatus;
  note?: string;
  baseVersion?: number;
};

/** How often a procedure was applied to tickets, and how those tickets went. */
export interface ProcedureStats {
  timesApplied: number;
  tickets: number;
  resolved: number;
  firstContactResolutionRate: number | null;
  averageHandlingMinutes: number | null;
}

/** Details of a 409 VERSION_CONFLICT: someone saved since the page was opened. */
export interface ConflictDetails {
  currentVersion: number;
  baseVersion: number;
  updatedBy: string | null;
  updatedAt: string;
}

export const basePath = (kind: Kind) => (kind === 'procedure' ? '/procedures' : '/articles');
/** Admin pages: the list, a new one, one item, its history. */
export const adminPath = {
  list: (kind: Kind) => (kind === 'procedure' ? '/admin/procedures' : '/admin/articles'),
  create: (kind: Kind) => (kind === 'procedure' ? '/admin/nouvelle-procedure' : '/admin/nouvel-article'),
  edit: (kind: Kind, slug: string) => `${adminPath.list(kind)}/${slug}`,
  history: (kind: Kind, slug: string) => `${adminPath.list(kind)}/${slug}/versions`,
};

export const knowledgeApi = {
  list: <T extends Content>(kind: Kind) => api.get<{ items: T[] }>(basePath(kind)).then((r) => r.items),
  search: (kind: Kind, q: string) => api.get<{ items: SearchHit[] }>(`${basePath(kind)}${query({ q, limit: 50 })}`).then((r) => r.items),
  get: <T extends Content>(kind: Kind, slug: string) => api.get<T>(`${basePath(kind)}/${encodeURIComponent(slug)}`),
  create: <T extends Content>(kind: Kind, input: ContentInput) => api.post<T>(basePath(kind), input),
  save: <T extends Content>(kind: Kind, slug: string, input: ContentInput) => api.put<T>(`${basePath(kind)}/${encodeURIComponent(slug)}`, input),
  stats: (slug: string) => api.get<ProcedureStats>(`/procedures/${encodeURIComponent(slug)}/stats`),
  versions: (kind: Kind, slug: string) => api.get<{ items: Version[] }>(`${basePath(kind)}/${encodeURIComponent(slug)}/versions`).then((r) => r.items),
  restore: <T extends Content>(kind: Kind, slug: string, version: number, baseVersion: number) =>
    api.post<T>(`${basePath(kind)}/${encodeURIComponent(slug)}/versions/${version}/restore${query({ baseVersion })}`),
};

/** A short name from a title: "Mon compte Facebook a été piraté" → "mon-compte-facebook-a-ete-pirate". */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}
