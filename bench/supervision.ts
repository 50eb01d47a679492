import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngineDispatcher } from '../electron/services/dispatch';
import { CaseloadEngine } from '../electron/services/engine';
import { chooseCipher } from '../electron/services/store/cipher';
import { loadSynthetic } from '../resources/synthetic/load';
import { syntheticService, syntheticTeam, w2Spec } from '../resources/synthetic/service';
import { TEST_KDF } from '../tests/helpers/tempStore';

const RUNS = 9;

/**
 * `query.supervisor_review_w2_ms` (issue #11 §5): one supervisor's flagged review of 6 supervisees at W2. The W2
 * service (125,000 referrals over five years) has 60 clinicians and 10 supervisors, so each supervisor has 6
 * supervisees; the supervisor's laptop holds what sync sends it: every patient with a referral held by one of
 * them. Timed through the contract (dispatch: input and output validated, the view audited), warm, median.
 */
export async function supervisionBench(): Promise<{ name: string; value: number; unit: string; note: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'caseload-bench-supervision-'));
  const engine = new CaseloadEngine({ dataDir: dir, kdf: TEST_KDF, cipher: chooseCipher(tmpdir()), unlockBackoffBaseMs: 0 });
  try {
    await engine.setup({ passphrase: 'bench passphrase for supervision', displayName: 'Bench Supervisor', role: 'supervisor' });
    const owner = engine.context().actorId;
    const generated = syntheticTeam(11, { pwps: 30, hits: 30, supervisors: 10 });
    const chief = generated[0]!.id;
    // The store's owner is this supervisor (as enrolment makes the server's user the owner).
    const team = generated.filter((m) => m.id !== chief).map((m) => (m.supervisorId === chief ? { ...m, supervisorId: owner } : m));
    const supervisees = new Set(team.filter((m) => m.supervisorId === owner).map((m) => m.id));
    const asOf = new Date().toISOString().slice(0, 10);
    let referralsInService = 0;
    const inScope = function* () {
      for (const record of syntheticService(w2Spec(generated, { asOf }))) {
        referralsInService += record.episodes.length;
        if (record.episodes.some((e) => supervisees.has(e.rows.referral.caseholder_id))) yield record;
      }
    };
    const counts = await loadSynthetic(engine.context().db, inScope(), { actorId: owner, team });
    const call = createEngineDispatcher(engine);
    const review = async () => {
      const r = await call('supervision.review', {});
      if (!r.ok) throw new Error(`supervision.review refused: ${r.error.message}`);
      return r.value as { supervisees: { openCases: number; cases: unknown[] }[] };
    };
    const first = await review();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await review();
      times.push(performance.now() - start);
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    const open = first.supervisees.reduce((n, s) => n + s.openCases, 0);
    const flagged = first.supervisees.reduce((n, s) => n + s.cases.length, 0);
    return [
      {
        name: 'query.supervisor_review_w2_ms',
        value: Number(median.toFixed(1)),
        unit: 'ms',
        note: `goal ≤ 20; ${first.supervisees.length} supervisees, ${open} open referrals reviewed, ${flagged} flagged; store holds ${counts.referrals} of the W2 service's ${referralsInService} referrals (their patients'), ${counts.contacts} contacts, ${counts.measures} measures; through dispatch, median of ${RUNS} warm`,
      },
    ];
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
