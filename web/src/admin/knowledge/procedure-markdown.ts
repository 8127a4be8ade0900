/*
 * A procedure's Markdown is the one source (the server derives steps, scripts, escalation and
 * contacts from its `##` sections: server/src/domains/knowledge/markdown-content.ts). The admin
 * form edits those sections as fields and writes them back as the same Markdown.
 */
export interface ProcedureSections {
  steps: string[];
  scripts: string[];
  escalation: string;
  contacts: string;
  /** Every other section ("## Notes"…) and any text before the first section, as Markdown. */
  other: string;
}

const HEADINGS = { steps: 'Étapes', scripts: "Ce qu'il faut dire", escalation: 'Quand escalader', contacts: 'Contacts officiels' } as const;
type Known = keyof typeof HEADINGS;
const known = (heading: string): Known | null => {
  const h = heading.trim().toLowerCase().replace(/[’']/g, "'");
  if (h === 'étapes') return 'steps';
  if (h === "ce qu'il faut dire") return 'scripts';
  if (h === 'quand escalader') return 'escalation';
  if (h === 'contacts officiels') return 'contacts';
  return null;
};

const STEP = /^\s*\d+[.)]\s+(.*)$/;
const BULLET = /^\s*[-*]\s+(.*)$/;
const unquote = (s: string) => s.trim().replace(/^«\s*|\s*»$/g, '');

/**
 * The sections of a procedure's body, or `lossless: false` when a steps or scripts section
 * holds lines the list fields cannot show (continuation lines, text between items): the form
 * then edits the Markdown as a whole, so nothing is dropped.
 */
export function splitProcedure(body: string): { sections: ProcedureSections; lossless: boolean } {
  const sections: ProcedureSections = { steps: [], scripts: [], escalation: '', contacts: '', other: '' };
  const other: string[] = [];
  let lossless = true;
  const parts = body.replace(/\r\n/g, '\n').split(/^(?=##\s)/m);
  for (const part of parts) {
    const m = /^##\s+([^\n]*)\n?([\s\S]*)$/.exec(part);
    const kind = m ? known(m[1]!) : null;
    if (!m || !kind) {
      if (part.trim()) other.push(part.trim());
      continue;
    }
    const content = m[2]!.trim();
    if (kind === 'steps' || kind === 'scripts') {
      const re = kind === 'steps' ? STEP : BULLET;
      const lines = content.split('\n').filter((l) => l.trim());
      const items = lines.map((l) => re.exec(l)?.[1]);
      if (items.some((x) => x === undefined) || sections[kind].length) lossless = false;
      sections[kind] = items.filter((x): x is string => x !== undefined).map((x) => (kind === 'scripts' ? unquote(x) : x.trim()));
    } else {
      if (sections[kind]) lossless = false;
      sections[kind] = content;
    }
  }
  sections.other = other.join('\n\n');
  return { sections, lossless };
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/** The body Markdown for the sections, in the catalogue's order. */
export function joinProcedure(s: ProcedureSections): string {
  const blocks: string[] = [];
  const steps = s.steps.map(oneLine).filter(Boolean);
  const scripts = s.scripts.map(oneLine).filter(Boolean);
  if (steps.length) blocks.push(`## ${HEADINGS.steps}\n${steps.map((x, i) => `${i + 1}. ${x}`).join('\n')}`);
  if (scripts.length) blocks.push(`## ${HEADINGS.scripts}\n${scripts.map((x) => `- « ${unquote(x)} »`).join('\n')}`);
  if (s.escalation.trim()) blocks.push(`## ${HEADINGS.escalation}\n${s.escalation.trim()}`);
  if (s.contacts.trim()) blocks.push(`## ${HEADINGS.contacts}\n${s.contacts.trim()}`);
  if (s.other.trim()) blocks.push(s.other.trim());
  return blocks.join('\n\n') + '\n';
}
