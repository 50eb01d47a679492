/**
 * Caseload search as clinicians type it (issue #8 item 9): any order of names ("patel eleanor"), accents
 * optional ("ni bhriain" finds "Ní Bhriain"), the last four NHS-number digits or the whole number, and a date of
 * birth as DD/MM/YYYY or ISO. Every word typed must match something.
 */
export interface Searchable {
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
}

export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

const UK_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

function isoOf(word: string): string | null {
  const m = UK_DATE.exec(word);
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : /^\d{4}-\d{2}-\d{2}$/.test(word) ? word : null;
}

export function matchesPatient(query: string, p: Searchable): boolean {
  const words = fold(query).replace(/,/g, ' ').split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const names = fold(`${p.givenName} ${p.familyName}`).split(/[\s'-]+/).filter(Boolean);
  const fullNames = [fold(p.givenName), fold(p.familyName)];
  const digits = query.replace(/[\s-]/g, '');
  if (/^\d{10}$/.test(digits)) return p.nhsNumber === digits;
  return words.every((w) => {
    const iso = isoOf(w);
    if (iso) return p.dateOfBirth === iso;
    if (/^\d+$/.test(w)) return w.length === 4 ? p.nhsNumber.endsWith(w) || p.nhsNumber.startsWith(w) : p.nhsNumber.startsWith(w);
    return names.some((n) => n.startsWith(w)) || fullNames.some((n) => n.startsWith(w));
  });
}
