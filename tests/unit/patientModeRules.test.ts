import { describe, expect, it } from 'vitest';
import { defaultOutcomes } from '../../shared/outcomes';
import { isSelfReportable } from '../../shared/contract/patientMode';
import { exitNotices, optionForKey, type Question } from '../../renderer/src/features/patientMode/patientModeRules';


const question = (options: Question['options']): Question => ({
  stage: 'question',
  questionnaireNumber: 1,
  questionnaireCount: 1,
  title: 'T',
  instructions: null,
  itemNumber: 1,
  itemCount: 1,
  text: 'Q',
  options,
  answer: null,
});

describe('patient mode on screen', () => {
  it('a digit picks the option with that value, n picks "does not apply" only where it is offered', () => {
    const phq9 = question(defaultOutcomes.instrument('phq9').responseOptions.map((o) => ({ value: o.value, label: o.label })));
    expect(['0', '3', '4', '9', 'n', 'Enter', 'a'].map((k) => optionForKey(phq9, k))).toEqual([0, 3, null, null, null, null, null]);
    const wsasWork = question([...Array.from({ length: 9 }, (_, v) => ({ value: v, label: String(v) })), { value: 'na', label: 'Does not apply to me' }]);
    expect(['8', 'n', 'N'].map((k) => optionForKey(wsasWork, k))).toEqual([8, 'na', 'na']);
  });

  it('offers for self-report exactly the questionnaires whose wording and options the catalogue ships', () => {
    const offered = defaultOutcomes.instruments().filter(isSelfReportable).map((d) => d.id);
    expect(offered).toEqual(['phq9', 'gad7', 'wsas', 'phobia', 'phq15', 'dds17']);
  });

  it('tells a risk alert first, then what was saved and what was not kept', () => {
    const notices = exitNotices({
      saved: [
        { measureId: '0190a5c2-7f3b-7cc3-9a43-1a2b3c4d5e6f', instrumentId: 'phq9', riskFlags: ['phq9-item9'] },
        { measureId: '0190a5c2-7f3b-7cc3-9a43-1a2b3c4d5e70', instrumentId: 'gad7', riskFlags: [] },
      ],
      unfinished: ['Work and Social Adjustment Scale (WSAS)'],
      notices: [],
    });
    expect(notices).toEqual([
      expect.stringMatching(/^Risk alert: the patient's PHQ-9 item 9/),
      'Patient questionnaires ended: 2 saved to this session as patient-completed.',
      'Not finished, so not kept: Work and Social Adjustment Scale (WSAS).',
    ]);
  });
});
