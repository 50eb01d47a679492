/**
 * Calendar dates are ISO strings (YYYY-MM-DD) with no time zone: the data set records dates, not instants
 * (DESIGN.md §3). Display is en-GB (DD/MM/YYYY).
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UK_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Parses what a clinician types (DD/MM/YYYY, also with . or -) into an ISO date, or null. */
export function parseUkDate(text: string): string | null {
  const m = UK_DATE.exec(text.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isRealDate(y, mo, d)) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function formatUkDate(iso: string): string {
  const m = ISO_DATE.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** Whole days from a to b (b − a) between two ISO dates, independent of time zones and DST. */
export function daysBetween(a: string, b: string): number {
  return Math.round((utcDay(b) - utcDay(a)) / 86_400_000);
}

/** Midnight UTC of an ISO date. Read by position, not split: a year's report takes tens of thousands of these. */
function utcDay(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
}

/** An ISO date moved by whole days, in UTC so DST never shifts it. */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today's local calendar date as ISO; the clock is for display and defaults only (DESIGN.md §5.8). */
export function todayIso(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** An instant as the clinician reads it, in this machine's local time: "23/11/2026 at 14:05". */
export function formatLocalDateTime(instant: Date): string {
  const hh = String(instant.getHours()).padStart(2, '0');
  const mm = String(instant.getMinutes()).padStart(2, '0');
  return `${formatUkDate(todayIso(instant))} at ${hh}:${mm}`;
}
