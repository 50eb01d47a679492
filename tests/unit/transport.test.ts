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
    base = new URL(host.url).origin;
  });
  afterAll(async () => {
    await host.close();
    removeDir(dir);
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}`, ...headers }, body: JSON.stringify(body) });
  /** Exchanges a sign-in address's one-time code, as a browser does; returns the response (redirect not followed). */
  const signIn = (url: string) => fetch(url, { redirect: 'manual' });
  const sessionCookie = async () => (await signIn(host.signInUrl())).headers.get('set-cookie')!.split(';')[0]!;
  /** Raw HTTP, for what fetch() will not send: another Host header, a path with a malformed %-encoding. */
  const raw = (path: string, method: string, headers: Record<string, string>, body = '') =>
    new Promise<number>((ok, fail) => {
      const { port } = new URL(base);
      void import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port, path, method, headers: { host: new URL(base).host, ...headers } }, (res) => (res.resume(), ok(res.statusCode ?? 0)));
        req.on('error', fail);
        req.end(body);
      });
    });

  it('listens on 127.0.0.1 only', () => expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/));

  it('prints an address with a one-time code, never the token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?code=[A-Za-z0-9_-]{43}$/);
    expect(host.url).not.toContain(host.token);
    const another = host.signInUrl();
    expect(another).not.toBe(host.url);
    expect(another).not.toContain(host.token);
  });

  it('exchanges a code once for an HttpOnly, SameSite=Strict, Path=/ cookie; a used code is refused', async () => {
    const url = host.signInUrl();
    const first = await signIn(url);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^caseload_${new URL(base).port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
    expect(cookie).not.toContain(host.token);
    const again = await signIn(url);
    expect(again.status).toBe(401);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect((await signIn(`${base}/?code=made-up`)).status).toBe(401);
    expect((await signIn(`${base}/?code=`)).status).toBe(401);
  });

  it('serves the page and the bridge only on the cookie, with the CSP, and puts no secret in either', async () => {
    expect((await fetch(base + '/')).status).toBe(401);
    expect((await fetch(base + '/', { headers: { cookie: `caseload_${new URL(base).port}=wrong` } })).status).toBe(401);
    const cookie = await sessionCookie();
    const page = await fetch(base + '/', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    const html = await page.text();
    expect(html).toContain('<script src="/bridge.js"></script>');
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).not.toContain(host.token);
    expect((await fetch(base + '/bridge.js')).status).toBe(401);
    const bridge = await fetch(base + '/bridge.js', { headers: { cookie } });
    expect(bridge.status).toBe(200);
    const script = await bridge.text();
    for (const method of ['session.unlock', 'patients.create', 'audit.verify']) expect(script).toContain(method);
    expect(script).not.toContain(host.token);
    expect(script).not.toContain(cookie.split('=')[1]);
  });

  it('takes the cookie on the API only with the x-caseload header and no foreign Origin (CSRF)', async () => {
    const cookie = await sessionCookie();
    const call = (headers: Record<string, string>) => fetch(base + '/api/session.status', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    expect(await (await call({ cookie, 'x-caseload': '1' })).json()).toMatchObject({ ok: true, value: { state: 'needs-setup' } });
    expect((await call({ cookie, 'x-caseload': '1', origin: base })).status).toBe(200);
    expect((await call({ cookie })).status).toBe(401);
    expect((await call({ cookie, 'x-caseload': '1', origin: 'http://evil.example' })).status).toBe(401);
    expect((await call({ cookie, 'x-caseload': '1', origin: 'null' })).status).toBe(401);
    expect((await call({ 'x-caseload': '1' })).status).toBe(401);
    // The JSON content type is required too: a form post cannot carry it.
    expect((await fetch(base + '/api/session.status', { method: 'POST', headers: { cookie, 'x-caseload': '1', 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
  });

  it('refuses API calls without the exact "Bearer " prefix and token, or naming another host (DNS rebinding)', async () => {
    expect((await post('/api/session.status', {})).status).toBe(200);
    expect((await post('/api/session.status', {}, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post('/api/session.status', {}, { authorization: host.token })).status).toBe(401); // a bare token
    expect((await post('/api/session.status', {}, { authorization: `bearer ${host.token}` })).status).toBe(401);
    expect((await post('/api/session.status', {}, { authorization: `Bearer  ${host.token}` })).status).toBe(401);
    expect((await post('/api/session.status', {}, { authorization: `Basic ${host.token}` })).status).toBe(401);
    expect((await fetch(base + '/api/session.status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect(await raw('/api/session.status', 'POST', { host: 'evil.example:80', authorization: `Bearer ${host.token}`, 'content-type': 'application/json' }, '{}')).toBe(421);
  });

  it('answers 400, not 500, for a malformed %-encoding in the path, and goes on serving', async () => {
    const json = { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' };
    expect(await raw('/api/session.status%', 'POST', json, '{}')).toBe(400);
    expect(await raw('/api/%E0%A4%A', 'POST', json, '{}')).toBe(400);
    expect(await raw('/%zz', 'GET', {})).toBe(400);
    expect(await raw('/assets/%C0%AF', 'GET', {})).toBe(400);
    expect(await (await post('/api/session.status', {})).json()).toMatchObject({ ok: true });
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
