import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketPathFor, watchScreenLock, type ScreenLockWatcher } from '../../electron/services/shell/screenLockWatcher';
import { startFakeScreensaver, startPrivateBus, type PrivateBus } from '../helpers/dbusDaemon';

/** The Linux screen-lock listener against a real, private dbus-daemon and a stand-in screensaver on it. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function counting(busAddress: string): { watcher: ScreenLockWatcher; count: () => number; next: (ms?: number) => Promise<boolean> } {
  let n = 0;
  let wake: (() => void) | null = null;
  const watcher = watchScreenLock(
    () => {
      n++;
      wake?.();
    },
    { busAddress },
  );
  return {
    watcher,
    count: () => n,
    next: (ms = 3000) =>
      new Promise<boolean>((ok) => {
        const timer = setTimeout(() => ok(false), ms);
        wake = () => (clearTimeout(timer), (wake = null), ok(true));
      }),
  };
}

describe('screen-lock watcher (D-Bus ScreenSaver ActiveChanged)', () => {
  let bus: PrivateBus;
  beforeAll(async () => {
    bus = await startPrivateBus();
  });
  afterAll(async () => {
    await bus.stop();
  });

  it('fires on ActiveChanged(true) from the freedesktop screensaver, not on ActiveChanged(false)', async () => {
    const { watcher, count, next } = counting(bus.address);
    expect(await watcher.ready).toBe(true);
    const screensaver = await startFakeScreensaver(bus);
    try {
      screensaver.activeChanged(false);
      expect(await next(500)).toBe(false);
      expect(count()).toBe(0);
      const fired = next();
      screensaver.activeChanged(true);
      expect(await fired).toBe(true);
      expect(count()).toBe(1);
      const again = next();
      screensaver.activeChanged(true); // a second lock later in the day fires again
      expect(await again).toBe(true);
      expect(count()).toBe(2);
    } finally {
      screensaver.close();
      watcher.close();
    }
  });

  it("fires on GNOME's interface too (sent by libdbus's dbus-send), and ignores other interfaces' ActiveChanged", async () => {
    const { watcher, count, next } = counting(bus.address);
    expect(await watcher.ready).toBe(true);
    const send = (iface: string) =>
      promisify(execFile)('dbus-send', [`--bus=${bus.address}`, '--type=signal', '/org/gnome/ScreenSaver', `${iface}.ActiveChanged`, 'boolean:true']);
    try {
      await send('org.example.NotAScreenSaver');
      expect(await next(500)).toBe(false);
      const fired = next();
      await send('org.gnome.ScreenSaver');
      expect(await fired).toBe(true);
      expect(count()).toBe(1);
    } finally {
      watcher.close();
    }
  });

  it('stops listening when closed', async () => {
    const { watcher, count } = counting(bus.address);
    expect(await watcher.ready).toBe(true);
    watcher.close();
    const screensaver = await startFakeScreensaver(bus);
    screensaver.activeChanged(true);
    await sleep(300);
    expect(count()).toBe(0);
    screensaver.close();
  });

  it('is silent and inert with no bus, an unreachable bus, a non-local address, or a bus that goes away', async () => {
    const unhandled: unknown[] = [];
    const onError = (e: unknown) => unhandled.push(e);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    try {
      for (const busAddress of ['', 'unix:path=/nonexistent/caseload/bus', 'tcp:host=127.0.0.1,port=1', 'unixexec:path=/bin/true', 'nonsense', 'unix:path=%zz', 'unix:abstract=/tmp/dbus-abc']) {
        expect(await watchScreenLock(() => undefined, { busAddress }).ready, busAddress).toBe(false);
      }
      const shortLived = await startPrivateBus();
      const { watcher } = counting(shortLived.address);
      expect(await watcher.ready).toBe(true);
      await shortLived.stop();
      await sleep(200);
      watcher.close();
    } finally {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    }
    expect(unhandled).toEqual([]);
  });

  it('uses only local Unix sockets from the address', () => {
    expect(socketPathFor('unix:path=/run/user/1000/bus')).toBe('/run/user/1000/bus');
    expect(socketPathFor('unix:abstract=/tmp/dbus-abc,guid=123')).toBeNull();
    expect(socketPathFor('tcp:host=10.0.0.1,port=5;unix:path=/tmp/b%20us')).toBe('/tmp/b us');
    expect(socketPathFor('tcp:host=10.0.0.1,port=5')).toBeNull();
    expect(socketPathFor('unixexec:path=/bin/sh')).toBeNull();
  });
});
