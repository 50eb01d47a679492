import { mkdirSync } from 'node:fs';
import { configFromEnv } from './config';
import { openDatabase } from './db/open';
import { buildApp } from './http/app';

/** `npm run server`: the team sync server, configured by environment (server/PROTOCOL.md, README). */
async function main(): Promise<void> {
  const config = configFromEnv();
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const opened = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const app = buildApp({ db: opened.db, https: config.https, log: (line) => console.log(`${new Date().toISOString()} ${line}`) });
  const address = await app.listen({ host: config.host, port: config.port });
  console.log(`sync server on ${address} (${opened.backend}${opened.backend === 'pglite' ? ` in ${config.dataDir}` : ''})`);
  if (!config.https) console.log('no TLS_CERT_FILE/TLS_KEY_FILE: plain HTTP, fit only for loopback or a TLS-terminating proxy');
  const stop = async () => {
    await app.close();
    await opened.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
