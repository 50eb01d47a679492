/**
 * What each report figure means, in words, as the rules in programme.ts compute it (ref §4 unless cited). The
 * report screen shows these one click from each figure; the figure's own `source` names the reference row.
 */
const DEFINITIONS: Record<string, string> = {
  referralsReceived: 'Referrals whose received date falls in the period.',
  enteredTreatment: 'Referrals whose first attended treatment contact (attendance code 5 or 6; treatment, assessment and treatment, or review and treatment) falls in the period.',
  ended: 'Referrals discharged in the period (discharge date and end code recorded).',
  endedBeforeTreatment: 'Of the referrals ended in the period, those with no attended treatment contact. NHS England publishes the count; the rate is a local choice.',
  endedTreatedOnce: 'Of the referrals ended in the period, those with exactly one attended treatment contact.',
  finished: 'Referrals discharged in the period with two or more attended treatment contacts dated from the referral to the discharge, both inclusive. Assessment-only, follow-up and employment-support contacts never count.',
  notAtCaseness: 'Finished courses whose first PHQ-9 and first anxiety-measure scores were both below caseness: left out of the recovery denominator.',
  recovery: 'Finished courses at caseness at the start whose last PHQ-9 and last anxiety-measure scores are both below caseness. Denominator: finished courses minus those not at caseness.',
  reliableRecovery: 'Recovered and reliably improved, over the same denominator as recovery.',
  reliableImprovement: 'Finished courses where at least one measure fell by its reliable-change value and neither rose by it. Denominator: all finished courses.',
  reliableDeterioration: 'Finished courses where at least one measure rose by its reliable-change value. Denominator: all finished courses.',
  noReliableChange: 'Finished courses with neither reliable improvement nor reliable deterioration.',
  finishedWithin42Days: 'Finished courses whose first attended treatment was 42 days or fewer after the referral was received.',
  finishedWithin126Days: 'Finished courses whose first attended treatment was 126 days or fewer after the referral was received.',
  enteredWithin14Days: 'Of the referrals entering treatment in the period, those waiting 14 days or fewer (a local band).',
  enteredWithin42Days: 'Of the referrals entering treatment in the period, those waiting 42 days (6 weeks) or fewer.',
  enteredWithin84Days: 'Of the referrals entering treatment in the period, those waiting 84 days or fewer (a local band).',
  enteredWithin126Days: 'Of the referrals entering treatment in the period, those waiting 126 days (18 weeks) or fewer.',
  enteredMeanWaitDays: 'Mean days from referral to first attended treatment, for referrals entering treatment in the period.',
  enteredMedianWaitDays: 'Median days from referral to first attended treatment, for referrals entering treatment in the period.',
  firstToSecondWithin28Days: 'Of the referrals whose second attended treatment falls in the period, those with 28 days or fewer between first and second.',
  firstToSecond29To56Days: 'Second attended treatment 29 to 56 days after the first, of those whose second falls in the period.',
  firstToSecond57To90Days: 'Second attended treatment 57 to 90 days after the first, of those whose second falls in the period.',
  firstToSecondOver90Days: 'Second attended treatment more than 90 days after the first, of those whose second falls in the period (CDP_B03).',
  dnaRate: 'Contacts in the period with attendance code 3 (did not attend), of all contacts in the period in their referral’s window (follow-ups included).',
  meanTreatmentContacts: 'Mean attended treatment contacts per finished course.',
  openNoContactOver90Days: 'Referrals open at the end of the period whose last attended treatment was more than 90 days before it, of the open referrals that have had a treatment.',
  repeatReferrals: 'Referrals received in the period within 365 days of the discharge of the same patient’s earlier referral that had two or more attended contacts.',
  adsmCompleteness: 'Finished courses whose problem descriptor calls for an anxiety disorder specific measure and whose outcome used it (ref §2.1).',
};

const FIRST_LAST = /^(wsas|dds17|phq15)(First|Last)$/;

export function figureDefinition(id: string): string {
  const direct = DEFINITIONS[id];
  if (direct) return direct;
  const fl = FIRST_LAST.exec(id);
  if (fl) return `Mean ${fl[2] === 'First' ? 'first' : 'last'} score of the measure over finished courses with two or more of its scores (a local figure; never part of recovery).`;
  if (id.startsWith('endCodeGroup.')) return 'Referrals ended in the period whose end code is in this group (ref §4 End codes, §5.6).';
  if (id === 'endCode.invalid') return 'Referrals ended in the period with an end code not valid in data set v2 (for example v1.5’s 40–45).';
  if (id.startsWith('endCode.')) return 'Referrals ended in the period with this end code (ref §5.6).';
  return 'A figure of the service report.';
}

/** The LTC pathway's own figures (issue #11 item 2). */
export const LTC_DEFINITIONS = {
  effectSize: 'Pre-post effect size per measure: mean first score minus mean last score, divided by the standard deviation of the first scores, over finished courses with a first and a last score of that measure (local figure; seed 001 evaluation).',
  hba1c: 'HbA1c (mmol/mol, ref §3): first and last value within the referral, for finished courses on the integrated LTC pathway with two values on different dates.',
  healthcareUse: 'Healthcare use (ref §3, CSRI-style counts over the service’s recall period): the first and last service-use record of each finished LTC-pathway course, summed per item. Savings use the unit costs you enter; none are shipped.',
} as const;
