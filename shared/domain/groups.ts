/**
 * Condition-specific group courses (issue #10 §7; seed 001 "Living well with Diabetes group", "Low Back Pain
 * group" co-facilitated by a senior physiotherapist). The condition is the course's theme, not a diagnosis code.
 */
export const GROUP_CONDITIONS = ['diabetes', 'copd', 'persistent-pain', 'cardiac', 'ibs', 'other'] as const;
export type GroupCondition = (typeof GROUP_CONDITIONS)[number];

export const GROUP_CONDITION_LABELS: Record<GroupCondition, string> = {
  diabetes: 'Diabetes',
  copd: 'COPD',
  'persistent-pain': 'Persistent pain',
  cardiac: 'Cardiac',
  ibs: 'Irritable bowel syndrome',
  other: 'Other condition',
};

/** The title a new course starts with; the clinician may change it. */
export function suggestedGroupTitle(condition: GroupCondition): string {
  if (condition === 'other') return 'Living well with a long-term condition';
  return `Living well with ${condition === 'copd' || condition === 'ibs' ? GROUP_CONDITION_LABELS[condition].replace('Irritable bowel syndrome', 'IBS') : GROUP_CONDITION_LABELS[condition].toLowerCase()}`;
}

/** A course meets at most this many times: a generous bound on the 6–12 sessions courses usually run. */
export const MAX_GROUP_SESSIONS = 24;
/** A group is taught to a room, not a ward: a bound that catches a slip of the keyboard. */
export const MAX_GROUP_MEMBERS = 20;
