import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GENESIS_HASH, hashEvent, verifyChain } from '../../electron/services/audit/auditChain';
import type { AuditEventTable } from '../../electron/services/store/schema';

/** Builds a valid chain of n events in memory, exactly as appendAudit does row by row. */
function chain(n: number): { rows: AuditEventTable[]; head: { count: number; last_hash: string } } {
  const rows: AuditEventTable[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = { seq, id: `id-${seq}`, at: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(), actor_id: 'u1', action: 'view', entity: 'patient', entity_ids: JSON.stringify([`p${seq}`]), prev_hash: prev };
    const hash = hashEvent(fields);
    rows.push({ ...fields, hash });
    prev = hash;
  }
  return { rows, head: { count: n, last_hash: prev } };
}

describe('audit chain verification', () => {
  it('an untouched chain verifies', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 60 }), (n) => {
      const { rows, head } = chain(n);
      expect(verifyChain(rows, n === 0 ? undefined : head)).toEqual({ ok: true, count: n, problems: [] });
    }));
  });

  it('an edited row is named', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), fc.constantFrom('action', 'entity_ids', 'actor_id', 'at'), (n, k, field) => {
      const { rows, head } = chain(n);
      const i = k % n;
      rows[i] = { ...rows[i]!, [field]: 'tampered' };
      const result = verifyChain(rows, head);
      expect(result.ok).toBe(false);
      expect(result.problems).toContainEqual(expect.objectContaining({ seq: i + 1, kind: 'edited' }));
    }));
  });

  it('a deleted row is named, wherever it was', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 40 }), fc.nat(), (n, k) => {
      const { rows, head } = chain(n);
      const i = k % (n - 1); // not the last: that is truncation, tested below
      rows.splice(i, 1);
      const result = verifyChain(rows, head);
      expect(result.problems).toContainEqual(expect.objectContaining({ seq: i + 1, kind: 'deleted' }));
    }));
  });

  it('a truncated tail is caught by the chain head', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (n, cut) => {
      const { rows, head } = chain(n);
      const keep = Math.max(0, n - cut);
      const result = verifyChain(rows.slice(0, keep), head);
      expect(result.problems).toContainEqual(expect.objectContaining({ seq: keep + 1, kind: 'truncated' }));
    }));
  });

  it('an inserted row (a forged event re-hashed to look valid) is named', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), (n, k) => {
      const { rows, head } = chain(n);
      const i = k % (n + 1); // position to insert at; later rows are renumbered as a forger would have to
      const forged = { seq: i + 1, id: 'forged', at: '2026-01-01T00:00:00.000Z', actor_id: 'u9', action: 'view', entity: 'patient', entity_ids: '[]', prev_hash: i === 0 ? GENESIS_HASH : rows[i - 1]!.hash };
      const withForged = [...rows.slice(0, i), { ...forged, hash: hashEvent(forged) }, ...rows.slice(i).map((r) => ({ ...r, seq: r.seq + 1 }))];
      const result = verifyChain(withForged, head);
      expect(result.ok).toBe(false);
      const firstProblem = Math.min(...result.problems.map((p) => p.seq));
      expect(firstProblem).toBeLessThanOrEqual(i + 2);
    }));
  });

  it('an appended row past the recorded head is named', () => {
    const { rows, head } = chain(5);
    const extra = { seq: 6, id: 'x', at: 'x', actor_id: 'u', action: 'view', entity: 'patient', entity_ids: '[]', prev_hash: rows[4]!.hash };
    const result = verifyChain([...rows, { ...extra, hash: hashEvent(extra) }], head);
    expect(result.problems).toEqual([expect.objectContaining({ seq: 6, kind: 'inserted' })]);
  });
});
