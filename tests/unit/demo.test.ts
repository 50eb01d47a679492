import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassphrase } from '../../electron/host/demoPassphrase';
import { removeDir, tempDir } from '../helpers/tempStore';

/** `npm run demo`'s host, run as a user runs it (without a display, so no Chromium is started). */
const ROOT = resolve(__dirname, '../..');

describe('demo passphrase', () => {
  it('is random for each run, grouped, and long enough for the product (≥ 10 characters)', () => {
    const seen = new Set(Array.from({ length: 50 }, demoPassphrase));
    expect(seen.size).toBe(50);
    for (const p of seen) expect(p).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
  });
});

describe('npm run demo', () => {
  const dataDir = join(tempDir('caseload-demo-'), 'store');
  let child: ChildProcess;
  let printed = '';
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'out/renderer/index.html'))) throw new Error('Run "npm run build" before the unit tests (npm test does).');
    const env = { ...process.env };
    delete env.DISPLAY;
    child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/demo.ts', '--data-dir', dataDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    printed = await new Promise<string>((ok, fail) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('Press Ctrl+C')) ok(out);
      });
      child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', (code) => fail(new Error(`demo exited (${code}): ${err}`)));
    });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      await new Promise<void>((ok) => {
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      });
    }
    removeDir(resolve(dataDir, '..'));
  });

  it('prints a one-time sign-in address and a random passphrase that opens the demo store', async () => {
    const address = /Address: +(\S+)/.exec(printed)![1]!;
    const passphrase = /Passphrase: +(\S+)/.exec(printed)![1]!;
    expect(passphrase).not.toBe('demo'); // the first word of the old fixed 'demo passphrase'
    expect(passphrase.length).toBeGreaterThanOrEqual(10);
    const url = new URL(address);
    expect(url.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect([...url.searchParams.keys()]).toEqual(['code']);

    const signIn = await fetch(address, { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(address, { redirect: 'manual' })).status).toBe(401);
    const call = async (method: string, input: unknown) =>
      (await fetch(`${url.origin}/api/${method}`, { method: 'POST', headers: { cookie, 'x-caseload': '1', 'content-type': 'application/json' }, body: JSON.stringify(input) })).json();
    expect(await call('session.status', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(await call('session.unlock', { passphrase })).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(await call('session.lock', {})).toMatchObject({ ok: true });
    expect(await call('session.unlock', { passphrase: 'demo passphrase' })).toMatchObject({ ok: false }); // the old fixed one
  });
});
