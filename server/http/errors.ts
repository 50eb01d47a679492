import type { FastifyReply } from 'fastify';
import type { ZodError } from 'zod';
import type { SyncError, SyncErrorCode } from '../../shared/sync/protocol';

const STATUS: Record<SyncErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  version_unsupported: 426,
  clock_ahead: 422,
  resync_required: 409,
  history_rewritten: 409,
  rate_limited: 429,
  internal: 500,
};

/** A typed refusal the client can switch on; messages never echo request content (it may be patient data). */
export class HttpRefusal extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly field?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function sendRefusal(reply: FastifyReply, refusal: HttpRefusal, status = STATUS[refusal.code]): FastifyReply {
  const body: SyncError = { error: { code: refusal.code, message: refusal.message, ...(refusal.field ? { field: refusal.field } : {}) } };
  if (refusal.retryAfterMs) reply.header('retry-after', String(Math.ceil(refusal.retryAfterMs / 1000)));
  return reply.code(status).send(body);
}

/** Names the first offending field (`commands.3.op_id`) and what is wrong with it, never its value. */
export function fromZodError(error: ZodError, where: 'body' | 'query'): HttpRefusal {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : where;
  return new HttpRefusal('bad_request', `${field}: ${issue?.message ?? 'invalid'}`, field);
}
