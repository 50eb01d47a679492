import type { Result } from '../../../shared/contract/errors';
import type { DestinationPurpose } from '../../../shared/contract/files';
import { parseInput } from '../dispatch';
import { PATIENT_MODE_REFUSED } from '../patientMode/gate';
import type { CaseloadWorkerClient } from '../worker/workerClient';

/** What only a shell can do: Electron shows a native dialog; the host answers with its configured folder. */
export interface ShellOperations {
  chooseFolder(purpose: DestinationPurpose): Promise<string | null>;
}

/**
 * The call path behind both transports: the shell's own methods (shared/contract/files.ts) are answered here,
 * with the folder passed to the worker on a channel the page cannot reach; everything else goes to the worker.
 */
export function createShellCall(worker: Pick<CaseloadWorkerClient, 'call' | 'setDestination'>, shell: ShellOperations) {
  return async (method: unknown, input: unknown): Promise<Result<unknown>> => {
    if (method !== 'files.chooseFolder') return worker.call(String(method), input);
    const parsed = parseInput(method, input);
    if (!parsed.ok) return parsed;
    // Locked patient mode refuses this too, before any dialog opens (services/patientMode/gate.ts).
    const status = await worker.call('session.status', {});
    if (status.ok && (status.value as { patientMode?: boolean }).patientMode) {
      return { ok: false, error: PATIENT_MODE_REFUSED };
    }
    const { purpose } = parsed.value as { purpose: DestinationPurpose };
    const folder = await shell.chooseFolder(purpose);
    return folder === null ? { ok: true, value: { folder: null } } : worker.setDestination(purpose, folder);
  };
}
