import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { Role, User, UserInput } from '../../../shared/domain/people';
import type { UserChanges, userMethods } from '../../../shared/contract/users';
import { appendAudit } from '../audit/auditChain';
import type { UsersTable } from '../store/schema';
import type { CaseloadContext } from './context';
import type { ContextSource, HandlerMap } from '../handlers';
import { notFound, refuse, stale, type Trx } from './records';

/**
 * The team directory (who supervises whom, who holds which role). The admin keeps it; nobody is deleted, only
 * deactivated, because their name stays on the records and audit events they wrote (issue #10 §9).
 */
function toUser(row: UsersTable): User {
  return {
    id: row.id,
    displayName: row.display_name,
    role: row.role as Role,
    supervisorId: row.supervisor_id,
    active: row.deactivated_at === null,
    version: row.version,
  };
}

export async function listUsers(ctx: CaseloadContext): Promise<User[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('users').selectAll().orderBy('display_name').execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'list', entity: 'user', entityIds: rows.map((r) => r.id) }, ctx.now());
    return rows.map(toUser);
  });
}

/** A supervisor must be someone else in the directory who is still active. */
async function assertSupervisor(trx: Trx, supervisorId: string, userId: string | null): Promise<void> {
  if (supervisorId === userId) throw refuse('supervisorId', 'cannot be the person themselves');
  const supervisor = await trx.selectFrom('users').select(['id', 'deactivated_at']).where('id', '=', supervisorId).executeTakeFirst();
  if (!supervisor) throw refuse('supervisorId', 'is not a known user');
  if (supervisor.deactivated_at !== null) throw refuse('supervisorId', 'has been deactivated');
}

export async function createUser(ctx: CaseloadContext, input: UserInput): Promise<User> {
  return ctx.db.transaction().execute(async (trx) => {
    if (input.supervisorId) await assertSupervisor(trx, input.supervisorId, null);
    const at = ctx.now().toISOString();
    const row: UsersTable = {
      id: uuidv7(),
      display_name: input.displayName,
      role: input.role,
      supervisor_id: input.supervisorId ?? null,
      version: 1,
      created_at: at,
      updated_at: at,
      deactivated_at: null,
      updated_by: ctx.actorId,
    };
    await trx.insertInto('users').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'user', entityIds: [row.id] }, ctx.now());
    return toUser(row);
  });
}

async function currentRow(trx: Trx, id: string, version: number): Promise<UsersTable> {
  const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('user');
  if (row.version !== version) throw stale();
  return row;
}

async function saveRow(ctx: CaseloadContext, trx: Trx, before: UsersTable, after: UsersTable): Promise<User> {
  const saved = { ...after, version: before.version + 1, updated_at: ctx.now().toISOString(), updated_by: ctx.actorId };
  await trx.updateTable('users').set(saved).where('id', '=', before.id).where('version', '=', before.version).execute();
  await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'user', entityIds: [before.id] }, ctx.now());
  return toUser(saved);
}

export async function updateUser(ctx: CaseloadContext, id: string, version: number, changes: z.output<typeof UserChanges>): Promise<User> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await currentRow(trx, id, version);
    // The store's owner changing their own role would lock them out of the screen they are using.
    if (changes.role !== undefined && changes.role !== row.role && id === ctx.actorId) throw refuse('role', 'cannot be changed for yourself');
    if (changes.supervisorId) await assertSupervisor(trx, changes.supervisorId, id);
    return saveRow(ctx, trx, row, {
      ...row,
      ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.supervisorId !== undefined ? { supervisor_id: changes.supervisorId } : {}),
    });
  });
}

export async function deactivateUser(ctx: CaseloadContext, id: string, version: number): Promise<User> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await currentRow(trx, id, version);
    if (id === ctx.actorId) throw refuse('id', 'is you: another admin must deactivate you');
    if (row.deactivated_at !== null) throw refuse('id', 'is already deactivated');
    return saveRow(ctx, trx, row, { ...row, deactivated_at: ctx.now().toISOString() });
  });
}

export function userHandlers(context: ContextSource): HandlerMap<typeof userMethods> {
  return {
    'users.list': async () => ({ users: await listUsers(context()) }),
    'users.create': (i) => createUser(context(), i),
    'users.update': (i) => updateUser(context(), i.id, i.version, i.changes),
    'users.deactivate': (i) => deactivateUser(context(), i.id, i.version),
  };
}
