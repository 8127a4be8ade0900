import fs from 'node:fs';
import path from 'node:path';
import type { Executor } from '../../platform/db';
import { CONTENT_DIR } from './catalogue-import';
import { triage } from './triage-service';

export interface EvalCase {
  id: string;
  text: string;
  channel: string;
  procedures: string[];
  emergency: boolean;
}

export interface EvalReport {
  cases: number;
  top1: number;
  top3: number;
  emergencyRecall: number;
  emergencyPrecision: number;
  missedProcedures: { id: string; expected: string[]; got: string[] }[];
  missedEmergencies: string[];
  falseAlarms: string[];
}

export function loadEvalSet(file = path.join(CONTENT_DIR, 'triage-eval.json')): EvalCase[] {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as EvalCase[];
}

/** Top-3 procedure accuracy and emergency recall/precision of the triage on a labelled set. */
export async function evaluateTriage(db: Executor, cases: EvalCase[]): Promise<EvalReport> {
  let top1 = 0;
  let top3 = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const missedProcedures: EvalReport['missedProcedures'] = [];
  const missedEmergencies: string[] = [];
  const falseAlarms: string[] = [];
  for (const c of cases) {
    const r = await triage(db, c.text);
    const got = r.procedures.map((p) => p.slug);
    // A case is right when one of its acceptable procedures is among the three shown.
    if (got[0] && c.procedures.includes(got[0])) top1++;
    if (got.some((g) => c.procedures.includes(g))) top3++;
    else missedProcedures.push({ id: c.id, expected: c.procedures, got });
    if (c.emergency && r.emergency.suspected) tp++;
    else if (c.emergency) {
      fn++;
      missedEmergencies.push(c.id);
    } else if (r.emergency.suspected) {
      fp++;
      falseAlarms.push(c.id);
    }
  }
  return {
    cases: cases.length,
    top1: top1 / cases.length,
    top3: top3 / cases.length,
    emergencyRecall: tp + fn ? tp / (tp + fn) : 1,
    emergencyPrecision: tp + fp ? tp / (tp + fp) : 1,
    missedProcedures,
    missedEmergencies,
    falseAlarms,
  };
}
