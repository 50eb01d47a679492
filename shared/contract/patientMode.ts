import { z } from 'zod';
import { recordId } from '../domain/people';
import type { InstrumentDefinition } from '../outcomes';
import { none } from './schemas';
import { enteredPassphrase } from './session';

/**
 * Patient self-completion, "locked patient mode" (issue #10 item 5): the clinician picks questionnaires at a
 * session and hands the laptop over. While the mode is on, the services refuse every contract method but these
 * and `session.status` / `session.lock` (electron/services/patientMode/gate.ts); the page is only ever told the
 * item in front of the patient — never a name, a record or another patient.
 */

/** How many questionnaires one hand-over may hold: a session's due measures fit well inside it. */
export const PATIENT_MODE_MAX_QUESTIONNAIRES = 8;

/**
 * The catalogue allows an instrument for self-report when it is a questionnaire whose wording and answer
 * options it ships: score-entry shells (licensed wording not shipped), screens (taken in clinic, issue #10's
 * screening flow), lab values, categorical records and numeric entries are never handed to a patient.
 */
export function isSelfReportable(def: Pick<InstrumentDefinition, 'kind' | 'items' | 'responseOptions'>): boolean {
  return def.kind === 'questionnaire' && def.items.every((item) => item.text !== undefined && item.range === undefined && (item.options ?? def.responseOptions).length > 0);
}

/** An answer the patient can give: an option's value, or "na" where the item allows not applicable. */
export const PatientAnswer = z.union([z.number().finite(), z.literal('na')]);
export type PatientAnswer = z.infer<typeof PatientAnswer>;

export const PatientModeQuestion = z.strictObject({
  stage: z.literal('question'),
  /** 1-based: "Questionnaire 2 of 3". */
  questionnaireNumber: z.number().int().positive(),
  questionnaireCount: z.number().int().positive(),
  /** The instrument's title, e.g. "PHQ-9" — never anything about the patient. */
  title: z.string(),
  instructions: z.string().nullable(),
  /** 1-based within the questionnaire: "Question 3 of 9". */
  itemNumber: z.number().int().positive(),
  itemCount: z.number().int().positive(),
  text: z.string(),
  options: z.array(z.strictObject({ value: PatientAnswer, label: z.string() })).min(1),
  /** The answer already given to this item (after going back), or null. */
  answer: PatientAnswer.nullable(),
});
export type PatientModeQuestion = z.infer<typeof PatientModeQuestion>;

/** Every questionnaire answered and saved: the page asks the patient to hand the laptop back. */
export const PatientModeFinished = z.strictObject({ stage: z.literal('finished'), questionnaireCount: z.number().int().positive() });

export const PatientModeView = z.discriminatedUnion('stage', [PatientModeQuestion, PatientModeFinished]);
export type PatientModeView = z.infer<typeof PatientModeView>;

export const PatientModeStartInput = z.strictObject({
  /** The attended session the answers belong to; its referral and date come from it. */
  contactId: recordId,
  instrumentIds: z
    .array(z.string().min(1, 'is required').max(40, 'must be 40 characters or fewer'))
    .min(1, 'must name at least one questionnaire')
    .max(PATIENT_MODE_MAX_QUESTIONNAIRES, `must name ${PATIENT_MODE_MAX_QUESTIONNAIRES} questionnaires or fewer`)
    .refine((ids) => new Set(ids).size === ids.length, 'must not name a questionnaire twice'),
});
export type PatientModeStartInput = z.input<typeof PatientModeStartInput>;

export const patientModeMethods = {
  'patientMode.start': { input: PatientModeStartInput, output: PatientModeView },
  /** What the page shows now: after a reload, the same question. */
  'patientMode.current': { input: none, output: PatientModeView },
  /** Answers the question on screen (named, so a repeated key press cannot answer the next one) and moves on. */
  'patientMode.answer': {
    input: z.strictObject({
      questionnaireNumber: z.number().int().positive(),
      itemNumber: z.number().int().positive(),
      value: PatientAnswer,
    }),
    output: PatientModeView,
  },
  /** Back one question within the questionnaire on screen; a saved questionnaire is not reopened. */
  'patientMode.back': { input: none, output: PatientModeView },
  /** Leaving needs the clinician's passphrase, checked and throttled exactly as unlock checks it. */
  'patientMode.exit': {
    input: z.strictObject({ passphrase: enteredPassphrase }),
    output: z.strictObject({
      /** Measures saved as patient-completed during the mode, with any risk flags they raised (PHQ-9 item 9). */
      saved: z.array(z.strictObject({ measureId: recordId, instrumentId: z.string(), riskFlags: z.array(z.string()) })),
      /** Titles of questionnaires not finished: their answers were never saved. */
      unfinished: z.array(z.string()),
      /** Wrong passphrases tried while the mode was on, told as unlock tells them. */
      notices: z.array(z.string()),
    }),
  },
} as const;

export const PATIENT_MODE_METHODS = Object.keys(patientModeMethods) as (keyof typeof patientModeMethods)[];
