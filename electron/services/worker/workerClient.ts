import { Worker } from 'node:worker_threads';
import type { Result } from '../../../shared/contract/errors';
import type { DestinationPurpose } from '../../../shared/contract/files';
import type { WorkerConfig, WorkerRequest, WorkerResponse } from './protocol';

/**
 * Where the worker's code is: the built bundle in the app; the TypeScript source, loaded through tsx, in tests
 * and the host. The caller names it, so the app bundle never references tsx.
 */
export interface WorkerScript {
  path: string;
  /** A module to require first inside the worker: tsx's CommonJS hook when `path` is TypeScript. */
  register?: string;
}

function spawn(script: WorkerScript, config: WorkerConfig): Worker {
  if (!script.register) return new Worker(script.path, { workerData: config });
  // Node cannot start a worker from a .ts file even with a loader flag, so the hook is registered inside it first.
  const bootstrap = `require(${JSON.stringify(script.register)}); require(${JSON.stringify(script.path)});`;
  return new Worker(bootstrap, { eval: true, workerData: config });
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

  private send(request: WorkerRequest): Promise<Result<unknown>> {
    const worker = this.ensure();
    return new Promise((resolve) => {
      this.pending.set(request.id, resolve);
      worker.postMessage(request);
    });
  }

  call(method: string, input: unknown): Promise<Result<unknown>> {
    return this.send({ id: this.nextId++, method, input });
  }

  /** The shell's own request (files.ts): a folder the person picked in the shell's dialog, never one from the page. */
  setDestination(purpose: DestinationPurpose, folder: string): Promise<Result<unknown>> {
    return this.send({ id: this.nextId++, control: 'setDestination', purpose, folder });
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
