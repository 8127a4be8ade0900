import { describe, it, expect } from 'vitest';
import { ALWAYS_OPEN_CALENDAR, NUMI_CALENDAR as NUMI, addBusinessSeconds, businessSecondsBetween } from './business-hours';
import {
  DEFAULT_SLA_POLICY as POLICY,
  type Priority,
  type SlaPolicy,
  changePriority,
  pauseSla,
  recordFirstResponse,
  resolveSla,
  resumeSla,
  slaView,
  startSla,
} from './sla';

// Paris offsets: +02:00 in May/June 2026. 2026-05-04 and 2026-06-08 are Mondays,
// 2026-05-08 (Victoire 1945) is a Friday holiday. NUMI: 09–12 + 14–18, Friday 14–17.
const d = (iso: string): Date => new Date(iso);
const H = 3600;

describe('DEFAULT_SLA_POLICY', () => {
  it('is the documented policy, in business minutes', () => {
    expect(POLICY).toEqual({
      critical: { firstResponseMinutes: 15, resolutionMinutes: 240 },
      high: { firstResponseMinutes: 60, resolutionMinutes: 480 },
      normal: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
      low: { firstResponseMinutes: 480, resolutionMinutes: 2400 },
    });
  });
});

describe('startSla', () => {
  it.each([
    // [priority, createdAt, firstResponseDueAt, resolutionDueAt]
    ['critical', '2026-05-04T10:00:00+02:00', '2026-05-04T10:15:00+02:00', '2026-05-04T16:00:00+02:00'], // 2h + lunch + 2h
    ['high', '2026-05-04T16:00:00+02:00', '2026-05-04T17:00:00+02:00', '2026-05-05T17:00:00+02:00'], // 2h Mon + 3h + 3h Tue
    // Fri 16:00: 1h Fri + 3h Mon → Mon 12:00; resolution 24h = 1 + 7 + 7 + 7 + 2 → Thu 11:00.
    ['normal', '2026-06-05T16:00:00+02:00', '2026-06-08T12:00:00+02:00', '2026-06-11T11:00:00+02:00'],
    // Saturday: 7h Mon + 1h Tue; resolution 40h = 34h week + 6h Monday → Mon 17:00.
    ['low', '2026-06-06T10:00:00+02:00', '2026-06-09T10:00:00+02:00', '2026-06-15T17:00:00+02:00'],
    // Critical at 3 a.m. on a Saturday: business time only, so due Monday morning.
    ['critical', '2026-06-06T03:00:00+02:00', '2026-06-08T09:15:00+02:00', '2026-06-08T15:00:00+02:00'],
  ] as const)('%s created %s: first response %s, resolution %s', (priority, created, fr, res) => {
    expect(startSla(NUMI, POLICY, priority, d(created))).toEqual({
      firstResponseDueAt: d(fr),
      resolutionDueAt: d(res),
      firstRespondedAt: null,
      resolvedAt: null,
      pausedAt: null,
      resolutionRemainingSeconds: null,
    });
  });

  it('runs round the clock with ALWAYS_OPEN_CALENDAR', () => {
    const s = startSla(ALWAYS_OPEN_CALENDAR, POLICY, 'critical', d('2026-06-06T01:00:00Z'));
    expect(s.firstResponseDueAt).toEqual(d('2026-06-06T01:15:00Z'));
    expect(s.resolutionDueAt).toEqual(d('2026-06-06T05:00:00Z'));
  });
});

describe('pause and resume', () => {
  const created = d('2026-05-04T10:00:00+02:00');
  const running = startSla(NUMI, POLICY, 'critical', created); // resolution due Mon 16:00

  it('keeps the remaining business time and clears the due date', () => {
    // Mon 11:00 → 16:00: 1h + 2h.
    const paused = pauseSla(NUMI, running, d('2026-05-04T11:00:00+02:00'));
    expect(paused).toEqual({ ...running, pausedAt: d('2026-05-04T11:00:00+02:00'), resolutionDueAt: null, resolutionRemainingSeconds: 3 * H });
    expect(slaView(paused, d('2026-05-05T10:00:00+02:00'))).toMatchObject({ paused: true, resolutionBreached: false, resolutionDueAt: null });

    // Resumed Tue 15:00 with 3h left → Tue 18:00. Paused business time: Mon 1h + 4h, Tue 3h + 1h = 9h;
    // the due date moved from Mon 16:00 to Tue 18:00, also 2h + 7h = 9h.
    const resumed = resumeSla(NUMI, paused, d('2026-05-05T15:00:00+02:00'));
    expect(resumed).toEqual({ ...running, resolutionDueAt: d('2026-05-05T18:00:00+02:00') });
    expect(resumed.firstResponseDueAt).toEqual(running.firstResponseDueAt); // first response never pauses
  });

  it('keeps a breach when paused after the deadline', () => {
    // Paused Tue 10:00, 3h of business time after Mon 16:00.
    const paused = pauseSla(NUMI, running, d('2026-05-05T10:00:00+02:00'));
    expect(paused.resolutionRemainingSeconds).toBe(-3 * H);
    expect(slaView(paused, d('2026-05-05T10:00:00+02:00')).resolutionBreached).toBe(true);
    // Resumed Wed 10:00: due 3h of business time earlier, Tue 16:00.
    const resumed = resumeSla(NUMI, paused, d('2026-05-06T10:00:00+02:00'));
    expect(resumed.resolutionDueAt).toEqual(d('2026-05-05T16:00:00+02:00'));
    expect(slaView(resumed, d('2026-05-06T10:00:00+02:00')).resolutionBreached).toBe(true);
  });

  it('a budget spent during closed hours stays breached when resumed on a weekend', () => {
    const tight: SlaPolicy = { ...POLICY, normal: { firstResponseMinutes: 60, resolutionMinutes: 180 } };
    const s = startSla(NUMI, tight, 'normal', d('2026-05-04T09:00:00+02:00')); // due Mon 12:00
    const paused = pauseSla(NUMI, s, d('2026-05-04T12:30:00+02:00')); // lunch: nothing left, nothing overdue
    expect(paused.resolutionRemainingSeconds).toBe(0);
    expect(slaView(paused, d('2026-05-04T12:30:00+02:00')).resolutionBreached).toBe(true);
    // Resumed Saturday: due at once, not at Monday's opening.
    const resumed = resumeSla(NUMI, paused, d('2026-05-09T10:00:00+02:00'));
    expect(resumed.resolutionDueAt).toEqual(d('2026-05-09T10:00:00+02:00'));
    expect(slaView(resumed, d('2026-05-09T10:00:01+02:00')).resolutionBreached).toBe(true);
  });

  it('moves the due date by exactly the paused business time (300 random pauses)', () => {
    let seed = 42;
    const rand = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const priorities: Priority[] = ['low', 'normal', 'high', 'critical'];
    for (let i = 0; i < 300; i++) {
      const createdAt = new Date(Date.UTC(2026, 0, 1) + Math.floor(rand() * 360 * 86_400) * 1000);
      const pausedAt = new Date(createdAt.getTime() + Math.floor(rand() * 10 * 86_400) * 1000);
      const resumedAt = new Date(pausedAt.getTime() + Math.floor(rand() * 20 * 86_400) * 1000);
      const s = startSla(NUMI, POLICY, priorities[i % 4]!, createdAt);
      const after = resumeSla(NUMI, pauseSla(NUMI, s, pausedAt), resumedAt);
      const moved = businessSecondsBetween(NUMI, s.resolutionDueAt!, after.resolutionDueAt!);
      expect({ i, moved }).toEqual({ i, moved: businessSecondsBetween(NUMI, pausedAt, resumedAt) });
    }
  });

  it('ignores a second pause, a resume without pause, and a pause after resolution', () => {
    const paused = pauseSla(NUMI, running, d('2026-05-04T11:00:00+02:00'));
    expect(pauseSla(NUMI, paused, d('2026-05-04T15:00:00+02:00'))).toBe(paused);
    expect(resumeSla(NUMI, running, d('2026-05-04T15:00:00+02:00'))).toBe(running);
    const resolved = resolveSla(running, d('2026-05-04T11:00:00+02:00'));
    expect(pauseSla(NUMI, resolved, d('2026-05-04T11:30:00+02:00'))).toBe(resolved);
  });
});

describe('breach detection', () => {
  const s = startSla(NUMI, POLICY, 'critical', d('2026-05-04T10:00:00+02:00')); // 10:15 / 16:00

  it('a deadline met at its exact instant is on time, a millisecond later is not', () => {
    expect(slaView(s, d('2026-05-04T10:15:00.000+02:00')).firstResponseBreached).toBe(false);
    expect(slaView(s, d('2026-05-04T10:15:00.001+02:00')).firstResponseBreached).toBe(true);
    expect(slaView(s, d('2026-05-04T16:00:00.000+02:00')).resolutionBreached).toBe(false);
    expect(slaView(s, d('2026-05-04T16:00:00.001+02:00')).resolutionBreached).toBe(true);
  });

  it('judges answered tickets on the answer time, not on now', () => {
    const onTime = recordFirstResponse(s, d('2026-05-04T10:14:00+02:00'));
    const late = recordFirstResponse(s, d('2026-05-04T10:16:00+02:00'));
    expect(slaView(onTime, d('2026-05-20T00:00:00Z')).firstResponseBreached).toBe(false);
    expect(slaView(late, d('2026-05-20T00:00:00Z')).firstResponseBreached).toBe(true);
    expect(recordFirstResponse(onTime, d('2026-05-04T11:00:00+02:00'))).toBe(onTime); // first reply only
    expect(slaView(resolveSla(s, d('2026-05-04T15:59:00+02:00')), d('2026-06-01T00:00:00Z')).resolutionBreached).toBe(false);
    expect(slaView(resolveSla(s, d('2026-05-04T16:30:00+02:00')), d('2026-06-01T00:00:00Z')).resolutionBreached).toBe(true);
  });

  it('renders dates as ISO strings', () => {
    expect(slaView(s, d('2026-05-04T10:00:00+02:00'))).toEqual({
      firstResponseDueAt: '2026-05-04T08:15:00.000Z',
      resolutionDueAt: '2026-05-04T14:00:00.000Z',
      firstResponseBreached: false,
      resolutionBreached: false,
      paused: false,
      resolutionRemainingSeconds: null,
    });
  });
});

describe('changePriority', () => {
  const createdAt = d('2026-05-04T09:00:00+02:00');
  // normal: first response 4h → Mon 15:00; resolution 24h = 7 + 7 + 7 + 3 → Thu 7 May 12:00.
  const normal = startSla(NUMI, POLICY, 'normal', createdAt);

  it('escalating recomputes from creation, which can breach at once', () => {
    expect(normal.resolutionDueAt).toEqual(d('2026-05-07T12:00:00+02:00'));
    const at = d('2026-05-04T10:00:00+02:00');
    const critical = changePriority(NUMI, POLICY, normal, createdAt, 'critical', at, 'normal');
    // Same as if created critical: first response 09:15 (already missed), resolution 09–12 + 14–15.
    expect(critical).toEqual(startSla(NUMI, POLICY, 'critical', createdAt));
    expect(critical.resolutionDueAt).toEqual(d('2026-05-04T15:00:00+02:00'));
    expect(slaView(critical, at).firstResponseBreached).toBe(true);
  });

  it('excludes paused time and keeps a paused ticket paused', () => {
    const critical = recordFirstResponse(startSla(NUMI, POLICY, 'critical', createdAt), d('2026-05-04T09:10:00+02:00'));
    // Paused Mon 10:00 after 1h of work: 3h left of 4h.
    const paused = pauseSla(NUMI, critical, d('2026-05-04T10:00:00+02:00'));
    expect(paused.resolutionRemainingSeconds).toBe(3 * H);
    // Downgraded Tue while paused: 8h target − 1h consumed = 7h.
    const high = changePriority(NUMI, POLICY, paused, createdAt, 'high', d('2026-05-05T10:00:00+02:00'), 'critical');
    expect(high).toEqual({ ...paused, resolutionRemainingSeconds: 7 * H }); // first response already given: unchanged
    // Resumed Wed 09:00 with 7h → Wed 18:00.
    expect(resumeSla(NUMI, high, d('2026-05-06T09:00:00+02:00')).resolutionDueAt).toEqual(d('2026-05-06T18:00:00+02:00'));
  });

  it('without pauses, lands on the new target counted from creation (random checks)', () => {
    const priorities: Priority[] = ['low', 'normal', 'high', 'critical'];
    for (let i = 0; i < 100; i++) {
      const from = priorities[i % 4]!;
      const to = priorities[(i * 7 + 1) % 4]!;
      const created = new Date(Date.UTC(2026, 0, 1) + i * 3.3 * 86_400_000);
      const at = addBusinessSeconds(NUMI, created, (i % 13) * H + 17 * 60);
      const changed = changePriority(NUMI, POLICY, startSla(NUMI, POLICY, from, created), created, to, at, from);
      expect(businessSecondsBetween(NUMI, created, changed.resolutionDueAt!)).toBe(POLICY[to].resolutionMinutes * 60);
      expect(changed.firstResponseDueAt).toEqual(startSla(NUMI, POLICY, to, created).firstResponseDueAt);
    }
  });

  it('leaves resolved tickets and unchanged priorities alone', () => {
    expect(changePriority(NUMI, POLICY, normal, createdAt, 'normal', createdAt, 'normal')).toBe(normal);
    const done = resolveSla(recordFirstResponse(normal, d('2026-05-04T09:30:00+02:00')), d('2026-05-04T11:00:00+02:00'));
    expect(changePriority(NUMI, POLICY, done, createdAt, 'critical', d('2026-05-04T11:30:00+02:00'), 'normal')).toEqual(done);
  });
});
