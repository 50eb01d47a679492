import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTACT_TYPES, Episode, parseEpisodeFast } from '../../shared/outcomes/episodeSchema';
import { REFERRAL_SOURCE_CODES } from '../../shared/outcomes/codes';

/**
 * The engine validates each episode with a hand-written check first and the zod schema whenever that check
 * declines (outcomes.ts checkedEpisode). The check may decline anything, but whatever it accepts the schema must
 * accept too, with the same output: otherwise a malformed episode would count, or a valid one read differently.
 * Inputs are mostly well formed with a few odd values mixed in, so both sides of each rule are met.
 */
const odd = fc.constantFrom<unknown>(undefined, null, '', 'x', 0, 1.5, -1, 8, Number.NaN, Number.POSITIVE_INFINITY, [], {}, '2025-02-30', '2025-13-01', '25-01-01', '24:00', '9:30', '123', 'F41.1', 'c1', 'x'.repeat(201));

/** A well-formed episode as the adapter makes them (every optional field sometimes left out). */
const valid = fc
  .record({
    start: fc.integer({ min: 0, max: 800 }),
    id: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: undefined }),
    patientId: fc.option(fc.constantFrom('p1', 'p2', 'x'.repeat(200)), { nil: undefined }),
    referralSource: fc.option(fc.constantFrom(...REFERRAL_SOURCE_CODES), { nil: undefined }),
    clinicianId: fc.option(fc.constantFrom('u1', 'u2'), { nil: undefined }),
    step: fc.option(fc.constantFrom(2, 3, 4), { nil: undefined }),
    problemDescriptor: fc.option(fc.constantFrom(null, 'F41.1', 'F32', ''), { nil: undefined }),
    pathway: fc.constantFrom('integrated-ltc', 'core'),
    ltcCodes: fc.option(fc.array(fc.constantFrom('44054006', '13645005', '123456789012345678'), { maxLength: 3 }), { nil: undefined }),
    contacts: fc.option(
      fc.array(fc.record({ withId: fc.boolean(), offset: fc.integer({ min: -5, max: 300 }), time: fc.option(fc.constantFrom('09:00', '13:30', '23:59', '00:00'), { nil: undefined }), type: fc.constantFrom(...CONTACT_TYPES), attendance: fc.integer({ min: 2, max: 7 }) }), { maxLength: 6 }),
      { nil: undefined },
    ),
    measures: fc.option(
      fc.array(fc.record({ offset: fc.integer({ min: -5, max: 300 }), instrumentId: fc.constantFrom('phq9', 'gad7', 'wsas', 'hba1c'), total: fc.oneof(fc.integer({ min: 0, max: 27 }), fc.double({ min: 0, max: 100, noNaN: true })), contact: fc.option(fc.nat(5), { nil: undefined }) }), { maxLength: 6 }),
      { nil: undefined },
    ),
    discharge: fc.option(fc.record({ offset: fc.integer({ min: 0, max: 300 }), endCode: fc.constantFrom('10', '46', '99') }), { nil: undefined }),
  })
  .map(({ start, contacts, measures, discharge, ...rest }) => {
    const at = (offset: number) => new Date(Date.UTC(2023, 0, 1) + (start + offset) * 86_400_000).toISOString().slice(0, 10);
    const e: Record<string, unknown> = { referralReceived: at(0) };
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) e[k] = v;
    const ids: string[] = [];
    if (contacts) {
      e.contacts = contacts.map((c, i) => {
        if (c.withId) ids.push(`c${i}`);
        return { ...(c.withId ? { id: `c${i}` } : {}), date: at(c.offset), ...(c.time ? { time: c.time } : {}), type: c.type, attendance: c.attendance };
      });
    }
    if (measures) e.measures = measures.map((m) => ({ date: at(m.offset), instrumentId: m.instrumentId, total: m.total, ...(m.contact !== undefined && ids.length > 0 ? { contactId: ids[m.contact % ids.length] } : {}) }));
    if (discharge) Object.assign(e, { dischargeDate: at(discharge.offset), endCode: discharge.endCode });
    return e;
  });

/** Sets one field anywhere in the episode (or a new key) to an odd value, or removes it. */
function mutate(e: Record<string, unknown>, pick: number, key: string, value: unknown, remove: boolean): Record<string, unknown> {
  const out = structuredClone(e);
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const listed = (v: unknown) => (Array.isArray(v) ? v.filter(isRecord) : []);
  const targets = [out, ...listed(out.contacts), ...listed(out.measures)];
  const target = targets[pick % targets.length]!;
  const keys = [...Object.keys(target), key];
  const k = keys[pick % keys.length]!;
  if (remove) delete target[k];
  else target[k] = value;
  return out;
}
const episode = fc.oneof(
  valid,
  fc.tuple(valid, fc.nat(), fc.constantFrom('extra', 'id', 'time', 'contactId', 'endCode', 'dischargeDate', 'step'), odd, fc.boolean()).map(([e, pick, key, value, remove]) => mutate(e, pick, key, value, remove)),
  fc.tuple(valid, fc.array(fc.tuple(fc.nat(), fc.constantFrom('extra', 'ltcCodes', 'date'), odd, fc.boolean()), { minLength: 2, maxLength: 3 })).map(([e, ms]) => ms.reduce((acc, [pick, key, value, remove]) => mutate(acc, pick, key, value, remove), e)),
);

describe('the engine’s quick episode check', () => {
  it('accepts only what the schema accepts, with the same output, and accepts the plainly valid', () => {
    let accepted = 0;
    let valid = 0;
    let refused = 0;
    fc.assert(
      fc.property(episode, (raw) => {
        const fast = parseEpisodeFast(raw);
        const schema = Episode.safeParse(raw);
        if (schema.success) valid += 1;
        else refused += 1;
        if (fast === undefined) return;
        accepted += 1;
        expect(schema.success).toBe(true);
        expect(fast).toStrictEqual(schema.data);
      }),
      { numRuns: 3000, seed: 7 },
    );
    // It must take most valid episodes, or the report pays for the schema after all.
    expect(valid).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(500);
    expect(accepted).toBeGreaterThan(valid * 0.9);
  });
});
