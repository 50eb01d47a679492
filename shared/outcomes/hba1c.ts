import { invalid } from './errors';

/**
 * HbA1c: the UK unit is mmol/mol (IFCC); % (DCCT) is legacy. mmol/mol = (% − 2.15) × 10.929, rounded to a whole
 * number (ref §3; the formula is the standard IFCC–DCCT master equation, marked [U] in the reference).
 */
export function hba1cFromPercent(percent: number): number {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 3 || percent > 20) {
    throw invalid('INVALID_INPUT', [{ path: 'percent', message: 'must be an HbA1c percentage between 3 and 20' }]);
  }
  return Math.round((percent - 2.15) * 10.929);
}

export function hba1cToPercent(mmolPerMol: number): number {
  if (typeof mmolPerMol !== 'number' || !Number.isFinite(mmolPerMol) || mmolPerMol < 9 || mmolPerMol > 195) {
    throw invalid('INVALID_INPUT', [{ path: 'mmolPerMol', message: 'must be an HbA1c in mmol/mol between 9 and 195' }]);
  }
  return Math.round((mmolPerMol / 10.929 + 2.15) * 10) / 10;
}
