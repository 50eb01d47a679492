import type { ServiceSettings, serviceSettingsMethods } from '../../../shared/contract/serviceSettings';
import { LtcCodeTable, OutcomeSettings } from '../../../shared/contract/serviceSettings';
import { DEFAULT_SOURCE_CODES, ltcOptions, type LtcOption, type ReferrerRole, type SourceCode } from '../../../shared/domain/episodeCodes';
import { createOutcomes, type Outcomes } from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { ServiceSettingsTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { fromOutcomeError, newColumns, nextColumns, stale, type Trx } from './records';

/** The service's stored settings, and the outcomes engine configured with them (issue #8 item 10). */
export interface LoadedSettings {
  row: ServiceSettingsTable | null;
  outcomes: OutcomeSettings;
  sourceCodes: Record<ReferrerRole, SourceCode>;
  /** The service's own LTC codes, as stored. */
  ltcCodes: LtcCodeTable;
  /** The conditions a referral may carry: the service's codes merged over the defaults. */
  ltcOptions: LtcOption[];
  /** The service's CodedAssToolType codes (ref §5.6 "not found"), as stored. */
  toolCodes: Record<string, string>;
}

async function liveRow(trx: Trx): Promise<ServiceSettingsTable | null> {
  return (await trx.selectFrom('service_settings').selectAll().where('deleted_at', 'is', null).orderBy('created_at').executeTakeFirst()) ?? null;
}

/** Settings as read, by the row's id, version and last write: nearly every call reads them, and they seldom change. */
let lastRead: { key: string; settings: Omit<LoadedSettings, 'row'> } | null = null;

export async function loadSettings(trx: Trx): Promise<LoadedSettings> {
  const row = await liveRow(trx);
  const key = row ? `${row.id}:${row.version}:${row.updated_at}` : '';
  if (lastRead?.key !== key) {
    const outcomes = OutcomeSettings.parse(row ? JSON.parse(row.outcome_overrides) : {});
    const sourceCodes = { ...DEFAULT_SOURCE_CODES, ...(row ? (JSON.parse(row.source_codes) as Partial<Record<ReferrerRole, SourceCode>>) : {}) };
    const ltcCodes = LtcCodeTable.parse(row ? JSON.parse(row.ltc_codes) : {});
    const toolCodes = row ? (JSON.parse(row.tool_codes) as Record<string, string>) : {};
    lastRead = { key, settings: { outcomes, sourceCodes, ltcCodes, ltcOptions: ltcOptions(ltcCodes), toolCodes } };
  }
  return { row, ...lastRead.settings };
}

const engines = new Map<string, Outcomes>();
/** One configured engine per distinct settings; building one validates the catalogue, so it is cached. */
export function outcomesWith(settings: OutcomeSettings): Outcomes {
  const key = JSON.stringify(settings);
  let engine = engines.get(key);
  if (!engine) {
    engine = createOutcomes(settings);
    if (engines.size > 20) engines.clear();
    engines.set(key, engine);
  }
  return engine;
}

export async function serviceOutcomes(trx: Trx): Promise<Outcomes> {
  return outcomesWith((await loadSettings(trx)).outcomes);
}

function toSettings(s: LoadedSettings): ServiceSettings {
  return { version: s.row?.version ?? null, outcomes: s.outcomes, sourceCodes: s.sourceCodes, ltcCodes: s.ltcCodes, toolCodes: s.toolCodes };
}

export async function getSettings(ctx: CaseloadContext): Promise<ServiceSettings> {
  return ctx.db.transaction().execute(async (trx) => {
    const s = await loadSettings(trx);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'service-settings', entityIds: s.row ? [s.row.id] : [] }, ctx.now());
    return toSettings(s);
  });
}

export async function updateSettings(
  ctx: CaseloadContext,
  input: { version: number | null; outcomes: OutcomeSettings; sourceCodes: Partial<Record<ReferrerRole, SourceCode>>; ltcCodes: LtcCodeTable; toolCodes?: Record<string, string> | undefined },
): Promise<ServiceSettings> {
  return ctx.db.transaction().execute(async (trx) => {
    try {
      createOutcomes(input.outcomes); // the engine is the judge of its overrides (unknown instrument, not a screen …)
    } catch (err) {
      throw fromOutcomeError(err, 'outcomes.');
    }
    const current = await liveRow(trx);
    if ((current?.version ?? null) !== input.version) throw stale();
    const values = {
      outcome_overrides: JSON.stringify(input.outcomes),
      source_codes: JSON.stringify(input.sourceCodes),
      ltc_codes: JSON.stringify(input.ltcCodes),
      tool_codes: input.toolCodes !== undefined ? JSON.stringify(input.toolCodes) : (current?.tool_codes ?? '{}'),
    };
    let id: string;
    if (current) {
      id = current.id;
      await trx.updateTable('service_settings').set({ ...values, ...nextColumns(current, ctx) }).where('id', '=', id).execute();
    } else {
      const row = { ...newColumns(ctx), ...values };
      id = row.id;
      await trx.insertInto('service_settings').values(row).execute();
    }
    await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'service-settings', entityIds: [id] }, ctx.now());
    return toSettings(await loadSettings(trx));
  });
}

export function serviceSettingsHandlers(context: ContextSource): HandlerMap<typeof serviceSettingsMethods> {
  return {
    'serviceSettings.get': () => getSettings(context()),
    'serviceSettings.update': (i) => updateSettings(context(), i),
  };
}
