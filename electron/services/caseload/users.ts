import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/contract/errors';
import type { Role, User, UserInput } from '../../../shared/domain/people';
import { appendAudit } from '../audit/auditChain';
import type { UsersTable } from '../store/schema';
import type { CaseloadContext } from './context';
import type { ContextSource, HandlerMap } from '../handlers';
import type { userMethods } from '../../../shared/contract/users';

/** The team directory (who supervises whom); not a list of people who log in on this device. */
function toUser(row: UsersTable): User {
  return { id: row.id, displayName: row.display_name, role: row.role as Role, supervisorId: row.supervisor_id, version: row.version };
}

export async function listUsers(ctx: CaseloadContext): Promise<User[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('users').selectAll().orderBy('display_name').execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'list', entity: 'user', entityIds: rows.map((r) => r.id) }, ctx.now());
    return rows.map(toUser);
  });
}

export async function createUser(ctx: CaseloadContext, input: UserInput): Promise<User> {
  return ctx.db.transaction().execute(async (trx) => {
    if (input.supervisorId) {
      const supervisor = await trx.selectFrom('users').select('id').where('id', '=', input.supervisorId).executeTakeFirst();
      if (!supervisor) {
        throw new AppError('VALIDATION', 'The supervisor is not in the team directory.', {
          fields: [{ path: 'supervisorId', message: 'is not a known user' }],
        });
      }
    }
    const at = ctx.now().toISOString();
    const row: UsersTable = {
      id: uuidv7(),
      display_name: input.displayName,
      role: input.role,
      supervisor_id: input.supervisorId ?? null,
      version: 1,
      created_at: at,
      updated_at: at,
    };
    await trx.insertInto('users').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'user', entityIds: [row.id] }, ctx.now());
    return toUser(row);
  });
}

export function userHandlers(context: ContextSource): HandlerMap<typeof userMethods> {
  return {
    'users.list': async () => ({ users: await listUsers(context()) }),
    'users.create': (i) => createUser(context(), i),
  };
}
