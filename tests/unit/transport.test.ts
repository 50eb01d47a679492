import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_WORKER, startHost, type RunningHost } from '../../electron/host/server';
import { CaseloadWorkerClient } from '../../electron/services/worker/workerClient';
import { PASSPHRASE, TEST_KDF, removeDir, tempDir, validNhsNumber } from '../helpers/tempStore';

const patient = { nhsNumber: validNhsNumber(9), givenName: 'Wei', familyName: 'Chen', dateOfBirth: '1990-10-10', gpPractice: 'Parkview Health Centre' };

describe('database worker transport', () => {
  const dir = tempDir();
  const client = new CaseloadWorkerClient(SOURCE_WORKER, { dataDir: dir, kdf: TEST_KDF });
  afterAll(async () => {
    await client.close();
    removeDir(dir);
  });

  it('runs the registry in a worker thread: setup, create, list, typed validation errors', async () => {
    expect(await client.call('session.status', {})).toMatchObject({ ok: true, value: { state: 'needs-setup' } });
    expect(await client.call('session.setup', { passphrase: PASSPHRASE, displayName: 'Tess', role: 'pwp' })).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(await client.call('patients.create', patient)).toMatchObject({ ok: true, value: { familyName: 'Chen' } });
    expect(await client.call('patients.create', { ...patient, dateOfBirth: 'yesterday' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: [{ path: 'dateOfBirth' }] } });
    expect(await client.call('no.such.method', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const list = await client.call('patients.list', {});
    expect(list.ok && (list.value as { patients: unknown[] }).patients).toHaveLength(1);
  });

  it('answers calls in the order they were made, even when sent all at once', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.call('patients.list', { query: i % 2 ? 'Chen' : 'nobody' })));
    expect(results.map((r) => r.ok && (r.value as { patients: unknown[] }).patients.length)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 ? 1 : 0)));
  });
});

describe('test host over HTTP', () => {
  let host: RunningHost;
  let base: string;
  const dir = tempDir();
  beforeAll(async () => {
    if (!existsSync(resolve(__dirname, '../../out/renderer/index.html'))) throw new Error('Run "npm run build" before the unit tests (npm test does).');
    host = await startHost({ worker: { dataDir: dir, kdf: TEST_KDF } });
    base = host.url.replace(/\/\?t=.*$/, '');
  });
  afterAll(async () => {
    await host.close();
    removeDir(dir);
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}`, ...headers }, body: JSON.stringify(body) });

  it('listens on 127.0.0.1 only', () => expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/));

  it('serves the page only with the token, with the CSP and the bridge script in it', async () => {
    expect((await fetch(base + '/')).status).toBe(401);
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    const html = await page.text();
    expect(html).toContain(`/bridge.js?t=${host.token}`);
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect((await fetch(base + '/bridge.js')).status).toBe(401);
    const bridge = await (await fetch(`${base}/bridge.js?t=${host.token}`)).text();
    for (const method of ['session.unlock', 'patients.create', 'audit.verify']) expect(bridge).toContain(method);
  });

  it('refuses API calls without the token, or naming another host (DNS rebinding)', async () => {
    expect((await post('/api/session.status', {}, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await fetch(base + '/api/session.status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    const rebinding = await new Promise<number>((ok) => {
      // fetch() will not let us set Host, so speak HTTP directly.
      const { port } = new URL(base);
      void import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/session.status', method: 'POST', headers: { host: 'evil.example:80', authorization: `Bearer ${host.token}`, 'content-type': 'application/json' } }, (res) => ok(res.statusCode ?? 0));
        req.end('{}');
      });
    });
    expect(rebinding).toBe(421);
  });

  it('answers with the contract envelope, and bad JSON is a typed validation error', async () => {
    expect(await (await post('/api/session.status', {})).json()).toMatchObject({ ok: true, value: { state: 'needs-setup' } });
    const bad = await fetch(base + '/api/session.status', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` }, body: '{not json' });
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('does not serve files outside the built renderer', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json']) {
      expect((await fetch(base + path)).status, path).toBe(404);
    }
  });
});
