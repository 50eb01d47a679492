import type { z } from 'zod';
import { parseUkDate } from '../../../shared/domain/dates';
import { sentence } from './errors';

/**
 * Inline validation from the contract's own zod schema, so a form and the service cannot disagree. Errors are
 * keyed by the first path segment (the form's field); date fields typed as DD/MM/YYYY are checked here first.
 */
export function schemaErrors(schema: z.ZodType, input: unknown, dateFields: Record<string, string> = {}): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [key, typed] of Object.entries(dateFields)) if (typed.trim() && !parseUkDate(typed)) errors[key] = 'Enter a real date as DD/MM/YYYY';
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'form');
      errors[key] ??= sentence(issue.message);
    }
  }
  return errors;
}

/** A date the clinician typed as DD/MM/YYYY, sent as ISO; left as typed when it does not parse, so the schema says so. */
export function isoFromTyped(typed: string): string {
  return parseUkDate(typed) ?? typed;
}

/** The engine's reasons cite ISO dates; the screens show en-GB (DESIGN §3). */
export function ukDatesIn(text: string): string {
  return text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3/$2/$1');
}
