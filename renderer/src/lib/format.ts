/** An instant (ISO with time) for display: en-GB date and time in the clinician's zone. */
export function formatInstant(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
