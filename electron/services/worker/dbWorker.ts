import { parentPort, workerData } from 'node:worker_threads';
import { createEngineDispatcher, resultOf } from '../dispatch';
import { CaseloadEngine } from '../engine';
import { patientModeRefusal } from '../patientMode/gate';
import type { WorkerConfig, WorkerRequest, WorkerResponse } from './protocol';

/**
 * The database worker: owns the engine and its SQLite connection, so no query ever runs on the main
 * process's event loop (as Signal Desktop does). Requests are handled one at a time, in order.
 */
const config = workerData as WorkerConfig;
const engine = new CaseloadEngine({ ...config, deviceSecret: config.deviceSecret ? Buffer.from(config.deviceSecret, 'base64') : null });
const call = createEngineDispatcher(engine, (e) => process.stderr.write(`[caseload] ${e.method} ${e.code}${e.detail ? ` (${e.detail})` : ''}\n`));
const port = parentPort!;

let queue: Promise<void> = Promise.resolve();

const idleTimer = setInterval(() => {
  queue = queue.then(() => engine.lockIfIdle().then(() => undefined, () => undefined));
}, config.idleCheckMs ?? 15_000);

port.on('message', (message: WorkerRequest) => {
  queue = queue.then(async () => {
    if ('control' in message && message.control === 'setDestination') {
      const result = patientModeRefusal(engine, 'files.chooseFolder') ?? (await resultOf('files.chooseFolder', async () => engine.setDestination(message.purpose, message.folder)));
      port.postMessage({ id: message.id, result } satisfies WorkerResponse);
      return;
    }
    if ('control' in message) {
      clearInterval(idleTimer);
      await engine.close();
      port.postMessage({ id: message.id, result: { ok: true, value: null } } satisfies WorkerResponse);
      port.close();
      return;
    }
    const result = await call(message.method, message.input);
    port.postMessage({ id: message.id, result } satisfies WorkerResponse);
  });
});
