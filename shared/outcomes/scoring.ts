import type { FieldProblem } from '../contract/errors';
import { invalid } from './errors';
import type { InstrumentDefinition, Item, Operator } from './instrumentSchema';

/** One answer: a number, `null` when missing, or 'na' where the item allows "not applicable". */
export type Answer = number | null | 'na';

export interface RiskFlag {
  flag: string;
  item: string;
  value: number;
  message: string;
}

export interface ScreenResult {
  positive: boolean;
  label: string;
}

export interface MeasureScore {
  instrumentId: string;
  version: string;
  total: number | null;
  subscales: Record<string, number | null>;
  severity: string | null;
  /** Programme caseness where the instrument has one; null where it has none or the score is incomplete. */
  caseness: boolean | null;
  /** Screens only (PHQ-4, DDS2, local screens): a positive screen is never caseness. */
  screen: ScreenResult | null;
  complete: boolean;
  missing: string[];
  notApplicable: string[];
  warnings: string[];
  riskFlags: RiskFlag[];
}

const EPSILON = 1e-9;

/** `value` meets `cut` under the instrument's operator (ref §2.2), tolerant of floating-point means. */
export function meets(value: number, operator: Operator, cut: number): boolean {
  return operator === '>' ? value > cut + EPSILON : value >= cut - EPSILON;
}

/** "≥ 10", "> 2.3": how a cut-off reads in reasons. */
export function showCut(operator: Operator, cut: number): string {
  return `${operator === '>' ? '>' : '≥'} ${cut}`;
}

/** What scoring needs to know about the referral: only PHQ-15 caseness depends on it (ref §2.2 notes). */
export interface ScoringContext {
  /** True when the referral's problem descriptor is a medically unexplained symptoms (MUS) one. */
  mus?: boolean;
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round((value + Number.EPSILON) * f) / f;
}

function optionsFor(def: InstrumentDefinition, item: Item) {
  return item.options ?? (item.range ? [] : def.responseOptions);
}

function checkAnswers(def: InstrumentDefinition, answers: unknown): Answer[] {
  if (!Array.isArray(answers)) throw invalid('INVALID_ANSWERS', [{ path: 'answers', message: 'must be an array' }]);
  if (answers.length !== def.items.length) {
    throw invalid('INVALID_ANSWERS', [{ path: 'answers', message: `${def.title} takes ${def.items.length} answers; got ${answers.length}` }]);
  }
  const problems: FieldProblem[] = [];
  answers.forEach((answer: unknown, i) => {
    const item = def.items[i]!;
    const path = `answers.${i}`;
    if (answer === null) return;
    if (answer === 'na') {
      if (!item.notApplicableAllowed) problems.push({ path, message: `item ${item.id} cannot be "not applicable"` });
      return;
    }
    if (typeof answer !== 'number' || !Number.isFinite(answer)) {
      problems.push({ path, message: `item ${item.id} must be a number, null (missing) or "na"` });
      return;
    }
    if (item.range) {
      if (item.range.integer && !Number.isInteger(answer)) problems.push({ path, message: `item ${item.id} must be a whole number` });
      else if (answer < item.range.min || answer > item.range.max) problems.push({ path, message: `item ${item.id} must be between ${item.range.min} and ${item.range.max}` });
      return;
    }
    const options = optionsFor(def, item);
    if (!Number.isInteger(answer) && options.every((o) => Number.isInteger(o.value))) {
      problems.push({ path, message: `item ${item.id} must be a whole number` });
    } else if (!options.some((o) => o.value === answer)) {
      problems.push({ path, message: `item ${item.id} must be one of ${options.map((o) => o.value).join(', ')}` });
    }
  });
  if (problems.length > 0) throw invalid('INVALID_ANSWERS', problems);
  return answers as Answer[];
}

function aggregate(values: number[], method: 'sum' | 'mean', decimals: number): number | null {
  if (values.length === 0) return null;
  const sum = values.reduce((a, b) => a + b, 0);
  return method === 'sum' ? sum : round(sum / values.length, decimals);
}

function unverified(what: string, source: string): string {
  return `${what} is an unverified value (${source}); check it against the current NHS Talking Therapies Manual.`;
}

/**
 * Scores one completed measure. No prorating (ref §1: no national rule): any missing answer gives
 * `complete: false` and `total: null`. Risk flags never change the total.
 */
export function scoreWith(def: InstrumentDefinition, rawAnswers: unknown, context: ScoringContext = {}): MeasureScore {
  const answers = checkAnswers(def, rawAnswers);
  const warnings: string[] = [];
  const missing: string[] = [];
  const notApplicable: string[] = [];
  const riskFlags: RiskFlag[] = [];
  const valueOf = new Map<string, number>();
  answers.forEach((answer, i) => {
    const item = def.items[i]!;
    if (answer === null) missing.push(item.id);
    else if (answer === 'na') notApplicable.push(item.id);
    else {
      valueOf.set(item.id, answer);
      if (item.riskAbove !== undefined && answer > item.riskAbove) {
        riskFlags.push({
          flag: item.riskFlag ?? `${def.id}-item-${item.id}`,
          item: item.id,
          value: answer,
          // ref §1, §8: an immediate risk assessment; the flag cannot be dismissed without a recorded risk review (DESIGN §4).
          message: `${def.title} item ${item.id} answered ${answer}: complete a risk assessment now.`,
        });
      }
    }
  });
  const complete = missing.length === 0;
  const method = def.scoring.method;
  const answered = def.items.filter((i) => valueOf.has(i.id)).map((i) => valueOf.get(i.id)!);

  let total: number | null = null;
  if (complete && method !== 'none') {
    total = method === 'value' ? (answered[0] ?? null) : aggregate(answered, method, def.scoring.decimals);
    if (notApplicable.length > 0 && total !== null) {
      const counted = def.items.filter((i) => valueOf.has(i.id));
      const range = method === 'sum' ? ` (range ${counted.reduce((a, i) => a + Math.min(...optionsFor(def, i).map((o) => o.value)), 0)}–${counted.reduce((a, i) => a + Math.max(...optionsFor(def, i).map((o) => o.value)), 0)})` : '';
      warnings.push(`Not applicable: item${notApplicable.length > 1 ? 's' : ''} ${notApplicable.join(', ')}. The ${method === 'mean' ? 'mean' : 'total'} is of the other ${counted.length} items${range}.`);
    }
  }

  const subscales: Record<string, number | null> = {};
  for (const s of def.scoring.subscales) {
    const anyMissing = s.items.some((id) => missing.includes(id));
    subscales[s.id] = anyMissing ? null : aggregate(s.items.filter((id) => valueOf.has(id)).map((id) => valueOf.get(id)!), s.method, def.scoring.decimals);
  }
  if (def.kind === 'service-use') for (const item of def.items) subscales[item.id] = valueOf.get(item.id) ?? null;

  let severity: string | null = null;
  if (total !== null && def.severityBands) {
    // Bands are looked up by their lower bound, so a mean such as 2.995 can never fall between two bands.
    const band = [...def.severityBands.bands].sort((a, b) => a.min - b.min).filter((b) => total! >= b.min - EPSILON).pop();
    severity = band?.label ?? null;
    if (severity && !def.severityBands.verified) warnings.push(unverified(`The ${def.title} severity band`, def.severityBands.source));
  }

  let caseness: boolean | null = null;
  if (def.caseness && (def.caseness.when === 'always' || context.mus === true)) {
    const { threshold: t, operator } = def.caseness;
    if (def.caseness.basis === 'total') caseness = total === null ? null : meets(total, operator, t);
    else {
      const anyAbove = answered.some((v) => meets(v, operator, t));
      caseness = anyAbove ? true : complete ? false : null;
    }
    if (caseness !== null && !def.caseness.verified) warnings.push(unverified(`The ${def.title} caseness cut-off (${t})`, def.caseness.source));
  }

  let screen: ScreenResult | null = null;
  if (def.screen) {
    const t = def.screen.threshold;
    if (t === null) {
      warnings.push(`${def.title}: the service has not set a cut-off, so no screen result is given (ref §7: no published cut-off).`);
    } else {
      let positive: boolean | null;
      if (def.screen.basis === 'total') positive = total === null ? null : total >= t - EPSILON;
      else {
        const values = Object.values(subscales);
        positive = values.some((v) => v !== null && v >= t - EPSILON) ? true : values.every((v) => v !== null) ? false : null;
      }
      if (positive !== null) {
        screen = { positive, label: positive ? def.screen.label : `negative screen (${def.screen.label.replace(/^positive screen /, '')})` };
        if (!def.screen.verified) warnings.push(unverified(`The ${def.title} cut-off (${t})`, def.screen.source));
      }
    }
  }

  return { instrumentId: def.id, version: def.version, total, subscales, severity, caseness, screen, complete, missing, notApplicable, warnings, riskFlags };
}

export type ReliableChange = 'improved' | 'deteriorated' | 'none';

/**
 * Higher scores are worse on every instrument here, so a fall meeting the reliable-change value under its operator
 * is improvement (ref §2.2: PDSS needs more than 5; every other value is inclusive).
 */
export function reliableChangeWith(def: InstrumentDefinition, first: unknown, last: unknown): ReliableChange {
  if (!def.reliableChange) {
    throw invalid('NO_RELIABLE_CHANGE', [{ path: 'instrumentId', message: `${def.title} has no reliable-change value` }]);
  }
  const problems: FieldProblem[] = [];
  for (const [path, v] of [['first', first], ['last', last]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) problems.push({ path, message: 'must be a number' });
    else if (def.totalRange && (v < def.totalRange.min || v > def.totalRange.max)) problems.push({ path, message: `must be between ${def.totalRange.min} and ${def.totalRange.max}` });
  }
  if (problems.length > 0) throw invalid('INVALID_INPUT', problems);
  const change = (last as number) - (first as number);
  const { value: rc, operator } = def.reliableChange;
  if (meets(-change, operator, rc)) return 'improved';
  if (meets(change, operator, rc)) return 'deteriorated';
  return 'none';
}
