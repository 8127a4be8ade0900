import { api, query } from '../shared/api';

/** The public help centre: published articles, French search with highlights (GET /api/v1/help/articles). */
export interface HelpArticleSummary {
  slug: string;
  title: string;
  summary: string;
  category: string;
}
export interface HelpHit extends HelpArticleSummary {
  /** "title — summary" with <mark>…</mark> around the matched words; text, never HTML. */
  highlight: string;
  score: number;
}
export interface HelpArticle extends HelpArticleSummary {
  keywords: string[];
  body: string;
  updatedAt: string;
}

export const helpApi = {
  list: () => api.get<{ items: HelpArticleSummary[] }>('/help/articles').then((r) => r.items),
  search: (q: string) => api.get<{ items: HelpHit[] }>(`/help/articles${query({ q, limit: 20 })}`).then((r) => r.items),
  get: (slug: string) => api.get<HelpArticle>(`/help/articles/${encodeURIComponent(slug)}`),
};

export const helpSearchPath = (q: string) => `/aide${query({ q: q.trim() })}`;
