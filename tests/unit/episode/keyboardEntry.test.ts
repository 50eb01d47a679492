import { describe, expect, it } from 'vitest';
import { defaultOutcomes } from '../../../shared/outcomes';
import { answersFor, applyKey, entryInstrument, initialState, touched, typeInto, type EntryInstrument, type EntryState } from '../../../renderer/src/features/sessions/keyboardEntry';

const phq9 = entryInstrument(defaultOutcomes.instrument('phq9'))!;
const gad7 = entryInstrument(defaultOutcomes.instrument('gad7'))!;
const wsas = entryInstrument(defaultOutcomes.instrument('wsas'))!;
const pdss = entryInstrument(defaultOutcomes.instrument('pdss'))!;

function press(state: EntryState, keys: string, instruments: EntryInstrument[]): EntryState {
  let s = state;
  for (const k of keys.split(' ')) s = applyKey(s, k, instruments).state;
  return s;
}

describe('keyboard-first measure entry', () => {
  it('PHQ-9 and GAD-7 take 16 keys, moving on by itself, and the engine scores exactly what was typed', () => {
    const ins = [phq9, gad7];
    const s = press(initialState(ins), '2 2 1 2 1 1 2 1 0 3 2 2 1 1 1 2', ins);
    expect(s.cursor).toEqual({ instrument: 2, item: 0 });
    expect(defaultOutcomes.scoreMeasure('phq9', answersFor(s, phq9)).total).toBe(12);
    expect(defaultOutcomes.scoreMeasure('gad7', answersFor(s, gad7)).total).toBe(12);
    expect(applyKey(s, 'Enter', ins).save).toBe(true); // the 17th key saves
  });

  it('a key outside the response options is ignored and the cursor stays', () => {
    const ins = [phq9];
    const r = applyKey(initialState(ins), '7', ins);
    expect(r.handled).toBe(false);
    expect(r.state.cursor).toEqual({ instrument: 0, item: 0 });
  });

  it('Backspace goes back across instruments and clears the answer there', () => {
    const ins = [phq9, gad7];
    let s = press(initialState(ins), '1 1 1 1 1 1 1 1 1', ins);
    expect(s.cursor).toEqual({ instrument: 1, item: 0 });
    s = press(s, 'Backspace', ins);
    expect(s.cursor).toEqual({ instrument: 0, item: 8 });
    expect(answersFor(s, phq9)[8]).toBeNull();
    expect(defaultOutcomes.scoreMeasure('phq9', answersFor(s, phq9)).total).toBeNull();
    s = press(s, '0', ins);
    expect(defaultOutcomes.scoreMeasure('phq9', answersFor(s, phq9)).total).toBe(8);
  });

  it('"s" skips an item, which leaves the total empty (no prorating); "n" is not applicable only where allowed', () => {
    const ins = [wsas];
    let s = press(initialState(ins), 'n 4 s 4 4', ins);
    const score = defaultOutcomes.scoreMeasure('wsas', answersFor(s, wsas));
    expect(answersFor(s, wsas)).toEqual(['na', 4, null, 4, 4]);
    expect(score.total).toBeNull();
    s = press(initialState(ins), '1 n', ins); // item 2 (home) cannot be n/a: the key does nothing
    expect(s.cursor).toEqual({ instrument: 0, item: 1 });
  });

  it('score-entry instruments take a total typed into their field', () => {
    expect(pdss.mode).toBe('total');
    const s = { ...initialState([pdss]), totals: { pdss: '14' } };
    expect(touched(s, pdss)).toBe(true);
    expect(defaultOutcomes.scoreMeasure('pdss', answersFor(s, pdss)).total).toBe(14);
  });

  it('DDS-17 answers by its own 1–6 scale', () => {
    const dds = entryInstrument(defaultOutcomes.instrument('dds17'))!;
    expect(Object.keys(dds.items[0]!.keys)).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('HbA1c takes mmol/mol, or a % converted by the engine', () => {
    const hba1c = entryInstrument(defaultOutcomes.instrument('hba1c'))!;
    const typed = (t: string) => answersFor({ ...initialState([hba1c]), totals: { hba1c: t } }, hba1c);
    expect(typed('64')).toEqual([64]);
    expect(typed('7.5%')).toEqual([58]);
    expect(defaultOutcomes.scoreMeasure('hba1c', typed('7.5%')).total).toBe(58);
    expect(() => defaultOutcomes.scoreMeasure('hba1c', typed('40%'))).toThrow();
  });

  it('employment status mixes keys and typed numbers; a typed item takes no key and Backspace clears it', () => {
    const employment = entryInstrument(defaultOutcomes.instrument('employment'))!;
    const ins = [employment];
    let s = press(initialState(ins), '1', ins); // status: employed
    expect(s.cursor).toEqual({ instrument: 0, item: 1 });
    expect(applyKey(s, '3', ins).handled).toBe(false); // hours are typed into their field
    s = typeInto(s, employment, 1, '37');
    s = { ...s, cursor: { instrument: 0, item: 2 } };
    s = press(s, '0 0 n n n', ins);
    expect(answersFor(s, employment)).toEqual([1, 37, 0, 0, 'na', 'na', 'na']);
    expect(defaultOutcomes.scoreMeasure('employment', answersFor(s, employment)).complete).toBe(true);
    s = { ...s, cursor: { instrument: 0, item: 2 } };
    s = press(s, 'Backspace', ins);
    expect(answersFor(s, employment)[1]).toBeNull();
    expect(s.texts?.['employment:1']).toBe('');
  });

  it('healthcare use is a set of typed counts', () => {
    const use = entryInstrument(defaultOutcomes.instrument('service-use'))!;
    let s = initialState([use]);
    use.items.forEach((_, i) => (s = typeInto(s, use, i, String(i))));
    expect(defaultOutcomes.scoreMeasure('service-use', answersFor(s, use)).subscales['ae-attendances']).toBe(1);
  });
});
