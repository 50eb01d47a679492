import { contract, isMethodName } from '../../shared/contract/contract';
import { AppError, fieldProblems, type Result } from '../../shared/contract/errors';
import type { CaseloadEngine } from './engine';
import type { Handlers } from './handlers';

/** Logs carry codes and method names only — never inputs, outputs or messages that may hold patient data. */
export type SafeLogger = (event: { method: string; code: string; detail?: string }) => void;

const quietLogger: SafeLogger = () => {};

/**
 * The one entry point behind both transports: validate input against the contract, call the service,
 * validate the output, and turn every failure into a typed error. A rejected input reaches no service.
 */
export async function dispatch(handlers: Handlers, method: unknown, rawInput: unknown, log: SafeLogger = quietLogger): Promise<Result<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `There is no method called ${String(method).slice(0, 60)}.` } };
  }
  const spec = contract[method];
  const parsed = spec.input.safeParse(rawInput);
  if (!parsed.success) {
    const fields = fieldProblems(parsed.error.issues);
    return {
      ok: false,
      error: { code: 'VALIDATION', message: `Please check: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}.`, fields },
    };
  }
  try {
    const value = await (handlers[method] as (input: unknown) => Promise<unknown>)(parsed.data);
    const output = spec.output.safeParse(value);
    if (!output.success) {
      log({ method, code: 'INTERNAL', detail: 'output failed the contract' });
      return { ok: false, error: { code: 'INTERNAL', message: 'The app produced an unexpected result. Nothing was shown.' } };
    }
    return { ok: true, value: output.data };
  } catch (err) {
    if (err instanceof AppError) {
      log({ method, code: err.code });
      return { ok: false, error: err.toShape() };
    }
    log({ method, code: 'INTERNAL', detail: err instanceof Error ? err.name : typeof err });
    return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong. Your last change was not saved.' } };
  }
}

/** Every call but the status poll counts as the person being active (for the idle lock). */
export function createEngineDispatcher(engine: CaseloadEngine, log?: SafeLogger) {
  const handlers = engine.handlers();
  return async (method: unknown, input: unknown): Promise<Result<unknown>> => {
    if (method !== 'session.status' && engine.status().state === 'unlocked') engine.touch();
    return dispatch(handlers, method, input, log);
  };
}
