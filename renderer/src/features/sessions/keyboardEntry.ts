import { hba1cFromPercent, type Answer, type InstrumentDefinition } from '../../../../shared/outcomes';

/**
 * Keyboard-first measure entry (DESIGN §7), as pure state so it can be tested without a screen: one key per item,
 * auto-advance across items and instruments, Backspace goes back and clears, "s" skips an item (the total then
 * stays empty: no prorating), "n" marks it not applicable where the instrument allows, Enter saves.
 */
export interface EntryItem {
  id: string;
  text: string;
  /** Key → answer value, from the instrument's response options with single-digit values. */
  keys: Record<string, number>;
  options: { value: number; label: string }[];
  /** A number typed into the item's own field (hours worked, counts of appointments) instead of a key. */
  range?: { min: number; max: number; integer: boolean };
  naAllowed: boolean;
}

export interface EntryInstrument {
  id: string;
  title: string;
  /** "items": one key per item; "total": the clinician types the total (score-entry shells, lab values). */
  mode: 'items' | 'total';
  /** The total field's label (score-entry shells and lab values). */
  label: string;
  items: EntryItem[];
  min?: number;
  max?: number;
}

export interface Cursor {
  /** `instrument === instruments.length` means past the last item: Enter saves. */
  instrument: number;
  item: number;
}

export interface EntryState {
  answers: Record<string, (Answer | undefined)[]>;
  totals: Record<string, string>;
  /** What was typed into number items, keyed "instrument:index"; parsed into `answers` as it is typed. */
  texts?: Record<string, string>;
  cursor: Cursor;
}

export type KeyOutcome = { state: EntryState; save: boolean; handled: boolean };

const TOTAL_KINDS = new Set(['score-entry', 'lab-value']);
const ITEM_KINDS = new Set(['questionnaire', 'categorical', 'service-use']);
const SCREEN_KINDS = new Set(['screen', 'local-screen']);

/**
 * Which instruments can be taken by keyboard; the rest are listed with their reasons only. Screens (PHQ-4, DDS2,
 * the local COPD and cardiac screens) only where asked for: they belong to screening, not to a session.
 */
export function entryInstrument(def: InstrumentDefinition, options: { screens?: boolean } = {}): EntryInstrument | null {
  if (TOTAL_KINDS.has(def.kind)) {
    const range = def.items[0]?.range;
    const label = def.kind === 'lab-value' ? def.title : `${def.title} total`;
    return { id: def.id, title: def.title, mode: 'total', label, items: [], ...(range ? { min: range.min, max: range.max } : {}) };
  }
  if (!ITEM_KINDS.has(def.kind) && !(options.screens && SCREEN_KINDS.has(def.kind))) return null;
  const items: EntryItem[] = def.items.map((item) => {
    const options = item.range ? [] : (item.options ?? def.responseOptions);
    const keys: Record<string, number> = {};
    for (const o of options) if (Number.isInteger(o.value) && o.value >= 0 && o.value <= 9) keys[String(o.value)] = o.value;
    return {
      id: item.id,
      text: item.text ?? `Item ${item.id}`,
      keys,
      options: options.map((o) => ({ value: o.value, label: o.label })),
      ...(item.range ? { range: item.range } : {}),
      naAllowed: item.notApplicableAllowed,
    };
  });
  if (items.some((i) => !i.range && Object.keys(i.keys).length === 0)) return null;
  return { id: def.id, title: def.title, mode: 'items', label: def.title, items };
}

export function initialState(instruments: readonly EntryInstrument[]): EntryState {
  return {
    answers: Object.fromEntries(instruments.filter((i) => i.mode === 'items').map((i) => [i.id, i.items.map(() => undefined)])),
    totals: Object.fromEntries(instruments.filter((i) => i.mode === 'total').map((i) => [i.id, ''])),
    cursor: { instrument: 0, item: 0 },
  };
}

function positions(instruments: readonly EntryInstrument[]): Cursor[] {
  const out: Cursor[] = [];
  instruments.forEach((ins, i) => {
    if (ins.mode === 'total') out.push({ instrument: i, item: 0 });
    else ins.items.forEach((_, j) => out.push({ instrument: i, item: j }));
  });
  out.push({ instrument: instruments.length, item: 0 });
  return out;
}

function indexOf(all: Cursor[], c: Cursor): number {
  const i = all.findIndex((p) => p.instrument === c.instrument && p.item === c.item);
  return i < 0 ? all.length - 1 : i;
}

export function move(instruments: readonly EntryInstrument[], cursor: Cursor, by: number): Cursor {
  const all = positions(instruments);
  return all[Math.max(0, Math.min(all.length - 1, indexOf(all, cursor) + by))]!;
}

function setAnswer(state: EntryState, ins: EntryInstrument, item: number, value: Answer | undefined): EntryState {
  const list = [...(state.answers[ins.id] ?? [])];
  list[item] = value;
  return { ...state, answers: { ...state.answers, [ins.id]: list } };
}

/** Applies one key press at the cursor. Keys typed into a total's own input are not handled here, except by the caller. */
export function applyKey(state: EntryState, key: string, instruments: readonly EntryInstrument[]): KeyOutcome {
  const unhandled = { state, save: false, handled: false };
  const ins = instruments[state.cursor.instrument];
  if (key === 'Enter') return { state, save: true, handled: true };
  if (key === 'ArrowDown') return { state: { ...state, cursor: move(instruments, state.cursor, 1) }, save: false, handled: true };
  if (key === 'ArrowUp') return { state: { ...state, cursor: move(instruments, state.cursor, -1) }, save: false, handled: true };
  if (key === 'Backspace') {
    const back = move(instruments, state.cursor, -1);
    const target = instruments[back.instrument];
    if (!target) return { state, save: false, handled: true };
    const cleared =
      target.mode === 'items'
        ? target.items[back.item]?.range
          ? typeInto(state, target, back.item, '')
          : setAnswer(state, target, back.item, undefined)
        : { ...state, totals: { ...state.totals, [target.id]: '' } };
    return { state: { ...cleared, cursor: back }, save: false, handled: true };
  }
  if (!ins || ins.mode !== 'items') return unhandled;
  const item = ins.items[state.cursor.item]!;
  if (item.range) return unhandled; // typed into the item's own field
  let value: Answer | undefined;
  if (key in item.keys) value = item.keys[key];
  else if ((key === 'n' || key === 'N') && item.naAllowed) value = 'na';
  else if (key === 's' || key === 'S') value = null;
  else return unhandled;
  const answered = setAnswer(state, ins, state.cursor.item, value);
  return { state: { ...answered, cursor: move(instruments, state.cursor, 1) }, save: false, handled: true };
}

/** A typed number as an answer: empty is missing, "n" not applicable; HbA1c may be typed as a % and is converted. */
export function typedAnswer(text: string, instrumentId: string): Answer {
  const t = text.trim();
  if (t === '') return null;
  if (t.toLowerCase() === 'n') return 'na';
  if (instrumentId === 'hba1c' && t.endsWith('%')) {
    try {
      return hba1cFromPercent(Number(t.slice(0, -1)));
    } catch {
      return Number.NaN; // the engine then names the field
    }
  }
  return Number(t);
}

/** Sets a number item from what was typed into its field. */
export function typeInto(state: EntryState, ins: EntryInstrument, item: number, text: string): EntryState {
  const list = [...(state.answers[ins.id] ?? [])];
  list[item] = text.trim() === '' ? undefined : typedAnswer(text, ins.id);
  return { ...state, answers: { ...state.answers, [ins.id]: list }, texts: { ...state.texts, [`${ins.id}:${item}`]: text } };
}

/** Answers as the engine takes them: an unanswered item is missing (null). */
export function answersFor(state: EntryState, ins: EntryInstrument): Answer[] {
  if (ins.mode === 'total') return [typedAnswer(state.totals[ins.id] ?? '', ins.id)];
  return (state.answers[ins.id] ?? []).map((a) => (a === undefined ? null : a));
}

/** Whether anything was entered for this instrument (only those are saved). */
export function touched(state: EntryState, ins: EntryInstrument): boolean {
  return ins.mode === 'total' ? (state.totals[ins.id]?.trim() ?? '') !== '' : (state.answers[ins.id] ?? []).some((a) => a !== undefined);
}
