import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { detectEmergency } from './emergency';

// Labelled by someone else than the rules' author, so it measures rather than confirms.
const EVAL_FILE = fileURLToPath(new URL('../../../../../content/triage-eval.json', import.meta.url));

interface EvalCase {
  id: string;
  text: string;
  channel: string;
  emergency: boolean;
}

describe.skipIf(!existsSync(EVAL_FILE))('detectEmergency on content/triage-eval.json', () => {
  const cases = existsSync(EVAL_FILE) ? (JSON.parse(readFileSync(EVAL_FILE, 'utf8')) as EvalCase[]) : [];
  const outcomes = cases.map((c) => ({ ...c, suspected: detectEmergency(c.text).suspected }));
  const truePositives = outcomes.filter((o) => o.emergency && o.suspected).length;
  const missed = outcomes.filter((o) => o.emergency && !o.suspected);
  const falseAlarms = outcomes.filter((o) => !o.emergency && o.suspected);

  it('catches every labelled emergency (recall 100 %)', () => {
    expect(missed.map((o) => `${o.id}: ${o.text}`)).toEqual([]);
  });

  it('keeps precision at or above 90 %', () => {
    const precision = truePositives / Math.max(1, truePositives + falseAlarms.length);
    expect(precision, falseAlarms.map((o) => `${o.id}: ${o.text}`).join('\n')).toBeGreaterThanOrEqual(0.9);
  });
});
