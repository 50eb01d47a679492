import { AppError } from '../../../shared/contract/errors';

/** Field errors from the service, keyed by field path, for Mantine's form. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof AppError) || !err.fields) return {};
  return Object.fromEntries(err.fields.map((f) => [f.path, sentence(f.message)]));
}

export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export function errorMessage(err: unknown): string {
  return err instanceof AppError ? err.message : 'Something went wrong. Nothing was saved.';
}

/**
 * A failed save: field errors go on their fields; the banner is for everything else (a field error already says
 * what is wrong where it is wrong).
 */
export function showSaveError(err: unknown, setFieldErrors: (fields: Record<string, string>) => void, setBanner: (text: string) => void): void {
  const fields = fieldErrors(err);
  setFieldErrors(fields);
  if (Object.keys(fields).length === 0) setBanner(errorMessage(err));
}
