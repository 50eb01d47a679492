import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ServerConfig {
  databaseUrl: string | undefined;
  /** Embedded PGlite's data folder, used only without DATABASE_URL. */
  dataDir: string;
  host: string;
  port: number;
  https: { cert: Buffer; key: Buffer } | undefined;
}

/** From the environment; loopback unless HOST says otherwise, because a team server belongs behind TLS. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8443);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, not ${env.PORT}`);
  const certFile = env.TLS_CERT_FILE;
  const keyFile = env.TLS_KEY_FILE;
  if (Boolean(certFile) !== Boolean(keyFile)) throw new Error('set both TLS_CERT_FILE and TLS_KEY_FILE, or neither');
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.PGLITE_DATA_DIR ?? '.server-data/pglite'),
    host: env.HOST ?? '127.0.0.1',
    port,
    https: certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : undefined,
  };
}
