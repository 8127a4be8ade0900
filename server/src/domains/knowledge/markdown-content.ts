import { parse as parseYaml } from 'yaml';
import { normalizeText } from './triage/normalize';

export const SEVERITIES = ['info', 'normal', 'high', 'critique'] as const;

export interface ProcedureContent {
  slug: string;
  title: string;
  summary: string;
  severity: (typeof SEVERITIES)[number];
  category: string;
  level: number;
  keywords: string[];
  related: string[];
  body: string;
  steps: string[];
  scripts: string[];
  escalation: string;
  officialContacts: string;
}

export interface ArticleContent {
  slug: string;
  title: string;
  summary: string;
  category: string;
  keywords: string[];
  body: string;
}

export class ContentError extends Error {}

/** Splits `---` YAML front matter from the Markdown body. */
export function splitFrontMatter(source: string): { meta: Record<string, unknown>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!m) throw new ContentError('front matter manquant (bloc --- … --- en tête)');
  const meta = parseYaml(m[1]!) as unknown;
  if (!meta || typeof meta !== 'object') throw new ContentError('front matter illisible');
  return { meta: meta as Record<string, unknown>, body: m[2]!.trim() };
}

/** The `## Heading` sections of a body, keyed by heading. */
export function sections(body: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = body.split(/^##\s+/m).slice(1);
  for (const part of parts) {
    const nl = part.indexOf('\n');
    const heading = (nl === -1 ? part : part.slice(0, nl)).trim();
    out.set(heading.toLowerCase(), nl === -1 ? '' : part.slice(nl + 1).trim());
  }
  return out;
}

const listItems = (md: string, ordered: boolean) =>
  md
    .split('\n')
    .map((l) => (ordered ? /^\s*\d+[.)]\s+(.*)$/ : /^\s*[-*]\s+(.*)$/).exec(l)?.[1]?.trim())
    .filter((x): x is string => !!x);

const str = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || !v.trim()) throw new ContentError(`champ « ${field} » manquant`);
  return v.trim();
};
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x).trim()).filter(Boolean) : []);

/** The structured fields of a procedure come from its Markdown, so the Markdown stays the one source. */
export function procedureFromParts(meta: Record<string, unknown>, body: string): ProcedureContent {
  const s = sections(body);
  const severity = str(meta.severity, 'severity') as ProcedureContent['severity'];
  if (!SEVERITIES.includes(severity)) throw new ContentError(`sévérité « ${severity} » inconnue (${SEVERITIES.join(', ')})`);
  const level = Number(meta.level);
  if (![1, 2, 3].includes(level)) throw new ContentError('niveau (level) : 1, 2 ou 3');
  const steps = listItems(s.get('étapes') ?? '', true);
  if (!steps.length) throw new ContentError('section « ## Étapes » vide : la procédure n’a aucune étape numérotée');
  return {
    slug: str(meta.slug, 'slug'),
    title: str(meta.title, 'title'),
    summary: str(meta.summary, 'summary'),
    severity,
    category: str(meta.category, 'category'),
    level,
    keywords: list(meta.keywords),
    related: list(meta.related),
    body,
    steps,
    scripts: listItems(s.get("ce qu'il faut dire") ?? s.get('ce qu’il faut dire') ?? '', false).map((x) => x.replace(/^«\s*|\s*»$/g, '')),
    escalation: s.get('quand escalader') ?? '',
    officialContacts: s.get('contacts officiels') ?? '',
  };
}

export function parseProcedure(source: string): ProcedureContent {
  const { meta, body } = splitFrontMatter(source);
  return procedureFromParts(meta, body);
}

export function parseArticle(source: string): ArticleContent {
  const { meta, body } = splitFrontMatter(source);
  if (!body) throw new ContentError('article vide');
  return { slug: str(meta.slug, 'slug'), title: str(meta.title, 'title'), summary: str(meta.summary, 'summary'), category: str(meta.category, 'category'), keywords: list(meta.keywords), body };
}

/** Markdown to plain text for indexing (no markup in the search vector). */
export function plainText(md: string): string {
  return md
    .replace(/`{1,3}[^`]*`{1,3}/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^[#>\-*\d.)\s]+/gm, '')
    .replace(/[*_~|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The columns the search needs, derived from the content. */
export function searchColumns(c: { title: string; keywords: string[]; body: string }) {
  const keywordsText = c.keywords.join(' ');
  return { keywordsText, bodyText: plainText(c.body), matchText: normalizeText(`${c.title} ${keywordsText}`) };
}
