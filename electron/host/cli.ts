import { parseArgs } from 'node:util';
import { runMain, startHost, stopOnSignals } from './server';

/**
 * Starts the host on 127.0.0.1 for an existing or new data folder and prints its address.
 * `--insecure-test-kdf` (tests only) keeps scrypt real but cheap so a suite stays within CI's time.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'insecure-test-kdf': { type: 'boolean', default: false },
      'unlock-backoff-ms': { type: 'string' },
      'export-dir': { type: 'string' },
    },
  });
  if (!values['data-dir']) {
    process.stderr.write('usage: tsx electron/host/cli.ts --data-dir DIR [--port N] [--insecure-test-kdf]\n');
    process.exit(2);
  }
  const host = await startHost({
    port: values.port ? Number(values.port) : 0,
    ...(values['export-dir'] ? { exportDir: values['export-dir'] } : {}),
    worker: {
      dataDir: values['data-dir'],
      ...(values['insecure-test-kdf'] ? { kdf: { kind: 'insecure-test-only', N: 1024 } as const } : {}),
      ...(values['unlock-backoff-ms'] ? { unlockBackoffBaseMs: Number(values['unlock-backoff-ms']) } : {}),
    },
  });
  process.stdout.write(`HOST_URL ${host.url}\n`);
  stopOnSignals(host);
}

runMain(main);
