/** Calendar arithmetic on whole UTC days: the data set records dates, and generated rows must not drift with the machine's zone. */
const DAY_MS = 86_400_000;

export function dayOf(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The instant `minutes` after midnight UTC of `day`, in milliseconds. */
export function instantMs(day: number, minutes: number): number {
  return day * DAY_MS + Math.round(minutes * 60_000);
}

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Clinics run Monday to Friday: a date that falls at a weekend moves to the Monday after. */
export function weekday(day: number): number {
  const dow = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  if (dow === 6) return day + 2;
  if (dow === 0) return day + 1;
  return day;
}
