/**
 * npm run eval:triage — measures the triage on content/triage-eval.json (labelled French
 * requests: phone transcripts, SMS spelling, elderly phrasing) against an embedded database
 * holding the shipped catalogue. Targets: top-3 ≥ 90 %, emergency recall 100 %, precision ≥ 90 %.
 */
import { PGlite } from '@electric-sql/pglite';
import { evaluateTriage, loadEvalSet } from '../server/src/domains/knowledge/triage-eval';
import { migrateDatabase, PGLITE_OPTIONS, wrapPglite } from '../server/src/platform/db';
import { ensureWorkspace } from '../server/src/workspace/bootstrap';

const database = wrapPglite(await PGlite.create(PGLITE_OPTIONS), true);
try {
  await migrateDatabase(database);
  await ensureWorkspace(database.db);
  const cases = loadEvalSet(process.argv[2]);
  const r = await evaluateTriage(database.db, cases);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(`Triage on ${r.cases} labelled requests`);
  console.log(`  top-1 procedure accuracy   ${pct(r.top1)}`);
  console.log(`  top-3 procedure accuracy   ${pct(r.top3)}   (target ≥ 90 %)`);
  console.log(`  emergency recall           ${pct(r.emergencyRecall)}   (target 100 %)`);
  console.log(`  emergency precision        ${pct(r.emergencyPrecision)}   (target ≥ 90 %)`);
  for (const m of r.missedProcedures) console.log(`  miss ${m.id}: expected ${m.expected.join(' | ')} — got ${m.got.join(', ') || 'nothing'}`);
  if (r.missedEmergencies.length) console.log(`  missed emergencies: ${r.missedEmergencies.join(', ')}`);
  if (r.falseAlarms.length) console.log(`  false alarms: ${r.falseAlarms.join(', ')}`);
  console.log(JSON.stringify({ eval: 'triage', cases: r.cases, top1: r.top1, top3: r.top3, recall: r.emergencyRecall, precision: r.emergencyPrecision }));
  const ok = r.top3 >= 0.9 && r.emergencyRecall === 1 && r.emergencyPrecision >= 0.9;
  process.exitCode = ok ? 0 : 1;
} finally {
  await database.close();
}
