import type { syncMethods } from '../../../shared/contract/sync';
import type { HandlerMap } from '../handlers';
import type { SyncRuntime } from './runtime';

/** The contract's sync.* methods (shared/contract/sync.ts), answered by the session's sync runtime. */
export function syncHandlers(runtime: SyncRuntime): HandlerMap<typeof syncMethods> {
  return {
    'sync.status': () => runtime.status(),
    'sync.now': () => runtime.syncNow(),
    'sync.enrol': (i) => runtime.enrol(i),
    'sync.signOut': () => runtime.signOut(),
    'sync.conflicts': (i) => runtime.conflicts(i.status),
    'sync.resolveConflict': (i) => runtime.resolveConflict(i),
    'sync.setAsideRefused': (i) => runtime.setAsideRefused(i.id),
  };
}
