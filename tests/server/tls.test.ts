import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../server/config';
import { openDatabase } from '../../server/db/open';
import { buildApp } from '../../server/http/app';

const dir = mkdtempSync(join(tmpdir(), 'sync-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('server configuration', () => {
  it('binds loopback by default and refuses half a TLS configuration', () => {
    expect(configFromEnv({})).toMatchObject({ host: '127.0.0.1', port: 8443, databaseUrl: undefined, https: undefined });
    expect(() => configFromEnv({ TLS_CERT_FILE: '/nonexistent.pem' })).toThrow(/both/);
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('serves HTTPS when given a certificate and key', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'pipe' });
    const config = configFromEnv({ TLS_CERT_FILE: cert, TLS_KEY_FILE: key, PORT: '0' });
    const opened = await openDatabase({});
    const app = buildApp({ db: opened.db, https: config.https });
    try {
      const address = await app.listen({ host: config.host, port: config.port });
      expect(address).toMatch(/^https:\/\/127\.0\.0\.1:/);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${address}/v1/pull?after=0&protocol_version=1`, { ca: config.https!.cert, servername: '127.0.0.1', checkServerIdentity: () => undefined }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(401); // reached the app over TLS; no token, so refused
    } finally {
      await app.close();
      await opened.close();
    }
  });
});
