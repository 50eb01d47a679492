import { contract, isMethodName, type MethodName } from '../../shared/contract/contract';
import { AppError, fieldProblems, type Result } from '../../shared/contract/errors';
import type { Role } from '../../shared/domain/people';
import { decide } from '../../shared/roles/policy';
import type { CaseloadEngine } from './engine';
import type { Handlers } from './handlers';
import { patientModeRefusal } from './patientMode/gate';

/** Logs carry codes and method names only — never inputs, outputs or messages that may hold patient data. */
export type SafeLogger = (event: { method: string; code: string; detail?: string }) => void;

const quietLogger: SafeLogger = () => {};

/**
 * The one entry point behind both transports: validate input against the contract, call the service,
 * validate the output, and turn every failure into a typed error. A rejected input reaches no service.
 */
export async function dispatch(
  handlers: Handlers,
  method: unknown,
  rawInput: unknown,
  log: SafeLogger = quietLogger,
  role: () => Role | null = () => null,
): Promise<Result<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `There is no method called ${String(method).slice(0, 60)}.` } };
  }
  const parsed = parseInput(method, rawInput);
  if (!parsed.ok) return parsed;
  const refused = policyRefusal(method, parsed.value, role());
  if (refused) {
    log({ method, code: 'FORBIDDEN' });
    return { ok: false, error: refused };
  }
  const handler = (handlers as Partial<Record<string, (input: unknown) => Promise<unknown>>>)[method];
  if (!handler) {
    // files.* are answered by the shell in front of the worker (shared/contract/files.ts).
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `${method} is answered by the app window, not the store.` } };
  }
  return resultOf(method, () => handler(parsed.value), log);
}

/**
 * The role policy, checked before any handler runs (shared/roles/policy.ts). With no store open there is no
 * role yet: only what a locked store answers (session, backup list and restore) can succeed, and every other
 * handler refuses with LOCKED.
 */
function policyRefusal(method: MethodName, input: unknown, role: Role | null): { code: 'FORBIDDEN'; message: string } | null {
  if (role === null) return null;
  const decision = decide(role, method, input);
  return decision.allowed ? null : { code: 'FORBIDDEN', message: decision.reason };
}

/** Validates a call's input against its contract: the parsed value, or a VALIDATION error naming the fields. */
export function parseInput(method: MethodName, rawInput: unknown): Result<unknown> {
  const parsed = contract[method].input.safeParse(rawInput);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fields = fieldProblems(parsed.error.issues);
  return { ok: false, error: { code: 'VALIDATION', message: `Please check: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}.`, fields } };
}

/** Runs a service call: its output checked against the contract, every failure a typed error. */
export async function resultOf(method: MethodName, run: () => Promise<unknown>, log: SafeLogger = quietLogger): Promise<Result<unknown>> {
  try {
    const value = await run();
    const output = contract[method].output.safeParse(value);
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

/**
 * Every call but the status poll counts as the person being active (for the idle lock). Locked patient mode
 * refuses all but its own methods first (patientMode/gate.ts).
 */
export function createEngineDispatcher(engine: CaseloadEngine, log?: SafeLogger) {
  const handlers = engine.handlers();
  return async (method: unknown, input: unknown): Promise<Result<unknown>> => {
    const refused = patientModeRefusal(engine, method);
    if (refused) {
      log?.({ method: isMethodName(method) ? method : '(unknown)', code: refused.error.code }); // a made-up name is never logged
      return refused;
    }
    if (method !== 'session.status' && engine.status().state === 'unlocked') engine.touch();
    return dispatch(handlers, method, input, log, () => engine.currentRole());
  };
}
