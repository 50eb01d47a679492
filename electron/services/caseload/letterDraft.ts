import { LETTER_GAP, type LetterKind, type LetterRecipient } from '../../../shared/contract/letters';
import type { Classification, Referral } from '../../../shared/contract/referrals';
import type { Contact } from '../../../shared/contract/contacts';
import type { ContactAttempt } from '../../../shared/contract/followUp';
import { formatUkDate } from '../../../shared/domain/dates';
import { DID_NOT_ATTEND, END_CODES, ltcLabel, PROBLEM_DESCRIPTORS, REFERRER_ROLE_LABELS, type LtcOption } from '../../../shared/domain/episodeCodes';
import { ROLE_LABELS, type Role } from '../../../shared/domain/people';
import type { EndCode, InstrumentScores, Outcomes } from '../../../shared/outcomes';

/**
 * The first draft of a letter, filled from the record (issue #10 §4): condition, presenting problem, first and
 * last scores with what they mean, plan and signposting. Every judgement in it is the outcomes engine's
 * (`classifyEpisode`, the catalogue's severity bands and caseness cut-offs, ref §2.2, §4); this only chooses
 * words. What the record cannot say is left as a marked gap the clinician must fill before finalising.
 */
export interface LetterFacts {
  kind: LetterKind;
  recipient: LetterRecipient;
  patient: { givenName: string; familyName: string; gpPractice: string };
  referral: Referral;
  contacts: readonly Contact[];
  attempts: readonly ContactAttempt[];
  classification: Classification;
  outcomes: Outcomes;
  ltcOptions: readonly LtcOption[];
  author: { displayName: string; role: Role };
}

const gap = (what: string) => `${LETTER_GAP} ${what}]`;
const ATTENDED = new Set([5, 6]);

export function recipientNameFor(facts: Pick<LetterFacts, 'recipient' | 'patient' | 'referral'>): string {
  if (facts.recipient === 'gp') return `The GP, ${facts.patient.gpPractice}`;
  return facts.referral.referrerName || REFERRER_ROLE_LABELS[facts.referral.referrerRole];
}

function condition(facts: LetterFacts): string {
  const ltcs = facts.referral.ltcCodes.map((code) => ltcLabel(code, facts.ltcOptions));
  return ltcs.length > 0 ? `Long-term condition: ${ltcs.join(', ')}.` : 'Long-term condition: none recorded on the referral.';
}

function presentingProblem(facts: LetterFacts): string {
  const descriptor = PROBLEM_DESCRIPTORS.find((p) => p.code === facts.referral.problemDescriptor);
  const lines = [`Presenting problem: ${descriptor ? `${descriptor.label} (${descriptor.code})` : gap('the presenting problem agreed at assessment')}.`];
  lines.push(`Reason for referral: ${facts.referral.reason}`);
  if (facts.referral.ltcImpact) lines.push(`How the condition and mood affect each other: ${facts.referral.ltcImpact}`);
  return lines.join('\n');
}

/** "18 on 02/09/2026 (moderately severe; at caseness, ≥ 10)", from the catalogue's bands and cut-off. */
function scoreWords(outcomes: Outcomes, instrumentId: string, at: { date: string; total: number }): string {
  const def = outcomes.instrument(instrumentId);
  const band = def.severityBands ? [...def.severityBands.bands].sort((a, b) => a.min - b.min).filter((b) => at.total >= b.min).pop() : undefined;
  const meaning: string[] = [];
  if (band) meaning.push(band.label.toLowerCase());
  if (def.caseness && def.caseness.basis === 'total' && def.caseness.when === 'always') {
    const { threshold, operator } = def.caseness;
    const at_ = operator === '>' ? at.total > threshold : at.total >= threshold;
    meaning.push(`${at_ ? 'at or above' : 'below'} the caseness cut-off of ${operator === '>' ? '>' : '≥'} ${threshold}`);
  }
  return `${at.total} on ${formatUkDate(at.date)}${meaning.length > 0 ? ` (${meaning.join('; ')})` : ''}`;
}

function scoreLine(outcomes: Outcomes, scores: InstrumentScores, firstOnly: boolean): string {
  const title = outcomes.instrument(scores.instrumentId).title;
  if (!scores.first) return `${title}: not recorded.`;
  if (firstOnly || !scores.last) return `${title}: ${scoreWords(outcomes, scores.instrumentId, scores.first)}.`;
  return `${title}: first ${scoreWords(outcomes, scores.instrumentId, scores.first)}; last ${scoreWords(outcomes, scores.instrumentId, scores.last)}.`;
}

function scores(facts: LetterFacts, firstOnly: boolean): string {
  const c = facts.classification;
  return [scoreLine(facts.outcomes, c.phq9, firstOnly), scoreLine(facts.outcomes, c.anxiety, firstOnly)].join('\n');
}

/** What the first and last scores mean, in the engine's terms (ref §4: caseness, recovery, reliable change). */
function meaning(c: Classification): string {
  if (!c.pairedScores) return 'There are not enough scores to measure change (two or more of each measure are needed).';
  const parts: string[] = [];
  parts.push(c.casenessAtStart ? 'At the start the scores were at caseness' : 'At the start the scores were below caseness');
  if (c.casenessAtStart) parts.push(c.recovered ? 'they have since moved below caseness (recovered)' : 'they have not moved below caseness (not recovered)');
  if (c.reliablyImproved) parts.push('the improvement is reliable (larger than measurement error)');
  if (c.reliablyDeteriorated) parts.push('the scores reliably deteriorated');
  if (c.noReliableChange) parts.push('there was no reliable change');
  return `${parts.join('; ')}.`;
}

function stepWords(step: number | null): string {
  if (step === 2) return 'step 2 (low-intensity guided self-help)';
  if (step === 3) return 'step 3 (high-intensity psychological therapy)';
  if (step === 4) return 'step 4 (specialist care)';
  return gap('the step of care agreed');
}

function signoff(facts: LetterFacts): string {
  return `Yours sincerely,\n\n${facts.author.displayName}\n${ROLE_LABELS[facts.author.role]}, ${facts.referral.team}`;
}

function salutation(facts: LetterFacts): string {
  return facts.recipient === 'gp' ? 'Dear Doctor,' : `Dear ${facts.referral.referrerName || 'colleague'},`;
}

function optInFailure(facts: LetterFacts, name: string): string[] {
  const attempts = facts.attempts.filter((a) => a.outcome !== 'reached');
  const tried =
    attempts.length === 0
      ? gap('when and how we tried to contact them')
      : attempts.map((a) => `${formatUkDate(a.date)} (${a.method}, ${a.outcome.replace('-', ' ')})`).join('; ');
  return [
    `${name} was referred to ${facts.referral.team} on ${formatUkDate(facts.referral.receivedDate)}. We tried to contact them to opt in to the service${attempts.length === 0 ? '' : attempts.length === 1 ? ' once' : ` ${attempts.length} times`}: ${tried}.`,
    'As we have not been able to reach them, we have closed the referral. We would be glad to hear from them, or to receive a new referral, should they want our help in future.',
    facts.referral.signposting ? `Signposting: ${facts.referral.signposting}` : 'Signposting: information about self-referral and local support has been sent to them.',
  ];
}

function assessment(facts: LetterFacts, name: string): string[] {
  const seen = facts.contacts.find((c) => c.type === 'assessment' && c.attendance !== null && ATTENDED.has(c.attendance));
  return [
    `Thank you for referring ${name}, whom I assessed on ${seen ? formatUkDate(seen.date) : gap('the assessment date')}.`,
    condition(facts),
    presentingProblem(facts),
    `Scores at assessment:\n${scores(facts, true)}`,
    `Plan: we agreed ${stepWords(facts.referral.step)}. ${gap('the plan agreed with them')}`,
  ];
}

function dna(facts: LetterFacts, name: string): string[] {
  const missed = facts.contacts.filter((c) => c.attendance === DID_NOT_ATTEND);
  const last = missed[missed.length - 1]!;
  return [
    `${name} did not attend the appointment booked for ${formatUkDate(last.date)} at ${last.startTime}${missed.length > 1 ? ` (${missed.length} appointments of this referral have now been missed)` : ''}.`,
    `Plan: ${gap('what we have offered, e.g. another appointment or a call')}`,
    'If you have any concerns about their safety or wellbeing, please let us know.',
  ];
}

function discharge(facts: LetterFacts, name: string): string[] {
  const r = facts.referral;
  const c = facts.classification;
  return [
    `${name} was discharged from ${r.team} on ${formatUkDate(r.dischargeDate!)} (${END_CODES[r.endCode as EndCode] ?? r.endCode}), after ${c.treatmentContacts} attended treatment session${c.treatmentContacts === 1 ? '' : 's'} at ${stepWords(r.step)}.`,
    condition(facts),
    presentingProblem(facts),
    `Scores (first and last):\n${scores(facts, false)}`,
    `What this means: ${meaning(c)}`,
    r.signposting ? `Signposting: ${r.signposting}` : `Signposting and relapse prevention: ${gap('where they can turn if difficulties return')}`,
  ];
}

/** The draft's body; refuses the kinds the record cannot support, naming why (see letters.ts). */
export function draftBody(facts: LetterFacts): string {
  const name = `${facts.patient.givenName} ${facts.patient.familyName}`;
  const paragraphs =
    facts.kind === 'opt-in-failure' ? optInFailure(facts, name) : facts.kind === 'assessment' ? assessment(facts, name) : facts.kind === 'dna' ? dna(facts, name) : discharge(facts, name);
  return [salutation(facts), ...paragraphs, signoff(facts)].join('\n\n');
}
