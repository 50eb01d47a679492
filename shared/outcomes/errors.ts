import type { FieldProblem } from '../contract/errors';

export type OutcomeErrorCode = 'UNKNOWN_INSTRUMENT' | 'INVALID_ANSWERS' | 'NO_RELIABLE_CHANGE' | 'INVALID_INPUT' | 'INVALID_CATALOGUE';

/** Every public outcomes function throws this on bad input, naming the offending fields; never a partial result. */
export class OutcomeError extends Error {
  readonly code: OutcomeErrorCode;
  readonly fields: FieldProblem[];
  constructor(code: OutcomeErrorCode, message: string, fields: FieldProblem[]) {
    super(message);
    this.name = 'OutcomeError';
    this.code = code;
    this.fields = fields;
  }
}

export function invalid(code: OutcomeErrorCode, fields: FieldProblem[]): OutcomeError {
  return new OutcomeError(code, fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
}
