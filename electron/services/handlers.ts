import type { z } from 'zod';
import type { Contract } from '../../shared/contract/contract';
import type { ShellMethod } from '../../shared/contract/files';
import type { CaseloadContext } from './caseload/context';

type MethodSpecs = Record<string, { input: z.ZodType; output: z.ZodType }>;

/** One handler per method of a contract slice, given input the contract has already parsed. */
export type HandlerMap<C extends MethodSpecs> = {
  [M in keyof C]: (input: z.output<C[M]['input']>) => Promise<z.output<C[M]['output']>>;
};

/**
 * The whole registry: every contract method but the shell's own (files.ts), merged from the domain files
 * (see registry.ts).
 */
export type Handlers = HandlerMap<Omit<Contract, ShellMethod>>;

/** Domain handlers ask for the context on each call, so a locked store refuses them with LOCKED. */
export type ContextSource = () => CaseloadContext;
