import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProcedure, procedureFromParts, splitFrontMatter } from './markdown-content';
import { joinProcedure, splitProcedure } from '../../../../web/src/admin/knowledge/procedure-markdown';

const dir = path.resolve(import.meta.dirname, '../../../../content/procedures');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md'));

describe('the admin form’s view of a procedure’s Markdown', () => {
  it('edits every shipped procedure as fields and writes back what the server reads the same way', () => {
    expect(files.length).toBeGreaterThanOrEqual(45);
    for (const f of files) {
      const source = fs.readFileSync(path.join(dir, f), 'utf8');
      const { meta, body } = splitFrontMatter(source);
      const { sections, lossless } = splitProcedure(body);
      expect(lossless, f).toBe(true);
      const before = parseProcedure(source);
      const after = procedureFromParts(meta, joinProcedure(sections));
      expect({ steps: after.steps, scripts: after.scripts, escalation: after.escalation, contacts: after.officialContacts }, f).toEqual({
        steps: before.steps,
        scripts: before.scripts,
        escalation: before.escalation,
        contacts: before.officialContacts,
      });
      // Saving without a change writes the same text back: no spurious line in the history.
      expect(joinProcedure(sections).trim(), f).toBe(body.trim());
      // Nothing else is lost: the other sections come back word for word.
      for (const extra of body.split(/^(?=##\s)/m).filter((p) => !/^##\s+(Étapes|Ce qu.il faut dire|Quand escalader|Contacts officiels)\s*$/m.test(p.split('\n')[0]!))) {
        expect(joinProcedure(sections), f).toContain(extra.trim());
      }
    }
  });

  it('falls back to the whole Markdown when a list holds lines the fields cannot show', () => {
    expect(splitProcedure('## Étapes\n1. Ouvrir.\n   Puis attendre.\n2. Fermer.').lossless).toBe(false);
    expect(splitProcedure('## Étapes\n1. Ouvrir.\n\n2. Fermer.\n\n## Notes\nLibre *texte*.').lossless).toBe(true);
  });

  it('writes numbered steps, quoted scripts, and keeps one line per item', () => {
    const md = joinProcedure({ steps: ['Vérifier\nle câble', ' ', 'Redémarrer'], scripts: ['« On regarde ensemble. »', 'Pas de panique.'], escalation: '', contacts: '- **17Cyber**', other: '## Notes\n- Rien.' });
    expect(md).toBe('## Étapes\n1. Vérifier le câble\n2. Redémarrer\n\n## Ce qu\'il faut dire\n- « On regarde ensemble. »\n- « Pas de panique. »\n\n## Contacts officiels\n- **17Cyber**\n\n## Notes\n- Rien.\n');
    const back = splitProcedure(md);
    expect(back.sections).toEqual({ steps: ['Vérifier le câble', 'Redémarrer'], scripts: ['On regarde ensemble.', 'Pas de panique.'], escalation: '', contacts: '- **17Cyber**', other: '## Notes\n- Rien.' });
  });
});
