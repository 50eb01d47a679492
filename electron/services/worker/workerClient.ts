import { Worker } from 'node:worker_threads';
import type { Result } from '../../../shared/contract/errors';
import type { WorkerConfig, WorkerRequest, WorkerResponse } from './protocol';

/** Where the worker's code is: the built bundle in the app, the TypeScript source (through tsx) in tests and the host. */
export type WorkerScript = { kind: 'built'; path: string } | { kind: 'source' };

function spawn(script: WorkerScript, config: WorkerConfig): Worker {
  if (script.kind === 'built') return new Worker(script.path, { workerData: config });
  return new Worker(new URL('./dbWorker.ts', import.meta.url), { workerData: config, execArgv: ['--import', 'tsx'] });
}

/**
 * The main-thread side of the database worker. If the worker dies, calls in flight fail with a typed
 * error and the next call starts a fresh worker (the store is then locked, so nothing is half-open).
 */
export class CaseloadWorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();

  constructor(
    private readonly script: WorkerScript,
    private readonly config: WorkerConfig,
  ) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = spawn(this.script, this.config);
    worker.on('message', (message: WorkerResponse) => {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message.result);
    });
    const fail = () => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const resolve of this.pending.values()) {
        resolve({ ok: false, error: { code: 'INTERNAL', message: 'The caseload store stopped unexpectedly. It is now locked; unlock it to continue.' } });
      }
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    this.worker = worker;
    return worker;
  }

  call(method: string, input: unknown): Promise<Result<unknown>> {
    const worker = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ id, method, input } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const id = this.nextId++;
    await new Promise<void>((resolve) => {
      this.pending.set(id, () => resolve());
      worker.postMessage({ id, control: 'close' } satisfies WorkerRequest);
    });
    this.worker = null;
    await worker.terminate();
  }
}
