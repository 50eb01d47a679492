import type { Kysely } from 'kysely';
import type { PatientAnswer, PatientModeView } from '../../../shared/contract/patientMode';
import type { InstrumentDefinition } from '../../../shared/outcomes';
import type { CaseloadEngine } from '../engine';
import type { CaseloadDb } from '../store/schema';

/** One questionnaire handed over: its definition (as the service configured it) and the answers so far. */
export interface HeldQuestionnaire {
  def: InstrumentDefinition;
  answers: (PatientAnswer | undefined)[];
}

/**
 * Locked patient mode is state of the unlocked session, kept in the worker's memory only: answers wait here
 * until their questionnaire is complete, then go to the encrypted store in one audited transaction
 * (measures.ts). It is bound to the open database it started on, so any lock — the idle lock, suspend, the
 * screen lock or `session.lock` — ends it: unlocking needs the clinician's passphrase anyway, and opens the
 * ordinary workspace, never a half-finished questionnaire in front of the next person. What was not yet complete
 * is discarded, never written.
 */
export class PatientModeSession {
  /** Index into `questionnaires` of the one on screen; equal to its length once all are saved. */
  current = 0;
  /** 0-based item on screen within the current questionnaire. */
  item = 0;
  readonly saved: { measureId: string; instrumentId: string; riskFlags: string[] }[] = [];

  constructor(
    readonly db: Kysely<CaseloadDb>,
    readonly referralId: string,
    readonly contactId: string,
    readonly date: string,
    readonly questionnaires: HeldQuestionnaire[],
  ) {}

  get finished(): boolean {
    return this.current >= this.questionnaires.length;
  }

  /** Only the item, its options and where it is: the page never learns whose questionnaire it is. */
  view(): PatientModeView {
    if (this.finished) return { stage: 'finished', questionnaireCount: this.questionnaires.length };
    const { def, answers } = this.questionnaires[this.current]!;
    const item = def.items[this.item]!;
    const options: { value: PatientAnswer; label: string }[] = (item.options ?? def.responseOptions).map((o) => ({ value: o.value, label: o.label }));
    if (item.notApplicableAllowed) options.push({ value: 'na', label: 'Does not apply to me' });
    return {
      stage: 'question',
      questionnaireNumber: this.current + 1,
      questionnaireCount: this.questionnaires.length,
      title: def.title,
      instructions: def.instructions ?? null,
      itemNumber: this.item + 1,
      itemCount: def.items.length,
      text: item.text ?? '',
      options,
      answer: answers[this.item] ?? null,
    };
  }

  unfinishedTitles(): string[] {
    return this.questionnaires.slice(this.current).map((q) => q.def.title);
  }
}

/**
 * One mode per engine (there is one engine per device store). A WeakMap rather than an engine field keeps the
 * mode out of the store lifecycle code it does not change.
 */
const modes = new WeakMap<CaseloadEngine, PatientModeSession>();

function openDb(engine: CaseloadEngine): Kysely<CaseloadDb> | null {
  try {
    return engine.context().db;
  } catch {
    return null;
  }
}

/** The mode in force, if any: one whose store has since been locked (or replaced) is over and forgotten here. */
export function activePatientMode(engine: CaseloadEngine): PatientModeSession | null {
  const mode = modes.get(engine);
  if (!mode) return null;
  if (openDb(engine) !== mode.db) {
    modes.delete(engine);
    return null;
  }
  return mode;
}

export function beginPatientMode(engine: CaseloadEngine, mode: PatientModeSession): void {
  modes.set(engine, mode);
}

export function endPatientMode(engine: CaseloadEngine): void {
  modes.delete(engine);
}
