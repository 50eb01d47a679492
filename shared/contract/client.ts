import { AppError, type Result } from './errors';
import type { MethodInput, MethodName, MethodOutput } from './contract';

/** What the page sees as `window.api`: one function per contract method, each resolving to a Result envelope. */
export type RawApi = { [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>> };

/** Builds `window.api` from the method list and one transport function. Used by the preload and the bridge. */
export function buildRawApi(
  methods: readonly MethodName[],
  invoke: (method: MethodName, input: unknown) => Promise<unknown>,
): RawApi {
  const api: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const method of methods) api[method] = (input: unknown) => invoke(method, input ?? {});
  return Object.freeze(api) as unknown as RawApi;
}

/** The renderer's typed client: unwraps the envelope and throws AppError, so callers use try/catch. */
export type Client = { [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>> };

export function createClient(raw: RawApi, methods: readonly MethodName[]): Client {
  const client: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const method of methods) {
    client[method] = async (input: unknown) => {
      const result = (await (raw[method] as (i: unknown) => Promise<Result<unknown>>)(input)) as Result<unknown>;
      if (result.ok) return result.value;
      throw AppError.fromShape(result.error);
    };
  }
  return client as unknown as Client;
}
