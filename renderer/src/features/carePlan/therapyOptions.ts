import { intensityOfStep, THERAPY_TYPES, type Step } from '../../../../shared/outcomes';

/** The therapy types a step may take (ref §5.5, §5.7), for a select. */
export function therapyOptions(step: Step | null): { value: string; label: string }[] {
  if (step === null) return [];
  const intensity = intensityOfStep(step);
  return THERAPY_TYPES.filter((t) => t.intensity === intensity).map((t) => ({ value: t.code, label: t.label }));
}

export function therapyLabel(code: string | null): string {
  if (code === null) return 'not recorded';
  return THERAPY_TYPES.find((t) => t.code === code)?.label ?? code;
}
