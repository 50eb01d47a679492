import Module, { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../helpers/tempStore';

/**
 * The Electron binary cannot be downloaded on our build machines, so this loads the *built* main process
 * (out/main/index.js) under Node with a recording stand-in for the 'electron' module, and checks the security
 * settings it really applies. The IPC path goes on to the real database worker bundle.
 */
const ROOT = resolve(__dirname, '../..');
const MAIN = resolve(ROOT, 'out/main/index.js');

type Handler = (...args: unknown[]) => unknown;
const recorded = {
  windows: [] as { webPreferences: Record<string, unknown> }[],
  appHandlers: new Map<string, Handler>(),
  ipc: new Map<string, Handler>(),
  power: new Map<string, Handler>(),
  permissionRequest: null as Handler | null,
  permissionCheck: null as Handler | null,
  headers: null as Handler | null,
  protocol: null as ((req: { url: string }) => Response | Promise<Response>) | null,
  privileged: [] as unknown[],
  loaded: [] as string[],
  fetched: [] as string[],
};
const mainFrame = { url: 'app://caseload/index.html' };
class FakeWindow {
  webContents = { mainFrame };
  constructor(options: { webPreferences: Record<string, unknown> }) {
    recorded.windows.push(options);
  }
  once() {}
  on() {}
  show() {}
  isMinimized() {
    return false;
  }
  focus() {}
  restore() {}
  loadURL(url: string) {
    recorded.loaded.push(url);
    return Promise.resolve();
  }
}
let userData = '';
const fakeElectron = {
  app: {
    requestSingleInstanceLock: () => true,
    quit: () => undefined,
    on: (event: string, fn: Handler) => recorded.appHandlers.set(event, fn),
    whenReady: () => Promise.resolve(),
    getPath: () => userData,
  },
  BrowserWindow: FakeWindow,
  ipcMain: { handle: (channel: string, fn: Handler) => recorded.ipc.set(channel, fn) },
  net: { fetch: (url: string) => (recorded.fetched.push(url), new Response('ok')) },
  powerMonitor: { on: (event: string, fn: Handler) => recorded.power.set(event, fn) },
  protocol: {
    registerSchemesAsPrivileged: (s: unknown[]) => recorded.privileged.push(...s),
    handle: (_scheme: string, fn: typeof recorded.protocol) => (recorded.protocol = fn),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: Handler) => (recorded.permissionRequest = fn),
      setPermissionCheckHandler: (fn: Handler) => (recorded.permissionCheck = fn),
      webRequest: { onHeadersReceived: (fn: Handler) => (recorded.headers = fn) },
    },
  },
};

describe('Electron main process (built bundle, stand-in electron module)', () => {
  const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = moduleWithLoad._load;
  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error('Run "npm run build" before the unit tests (npm test does).');
    userData = tempDir('caseload-electron-');
    moduleWithLoad._load = function (request: string, ...rest: unknown[]) {
      return request === 'electron' ? fakeElectron : originalLoad.call(this, request, ...rest);
    };
    createRequire(__filename)(MAIN);
    await new Promise((r) => setTimeout(r, 50)); // let whenReady().then(...) run
  });
  afterAll(async () => {
    moduleWithLoad._load = originalLoad;
    const closeAll = recorded.appHandlers.get('window-all-closed');
    await closeAll?.();
    removeDir(userData);
  });

  it('opens one window: context isolation, sandbox, no Node integration, preload from the build', () => {
    expect(recorded.windows).toHaveLength(1);
    expect(recorded.windows[0]!.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true });
    expect(recorded.windows[0]!.webPreferences.preload).toBe(resolve(ROOT, 'out/preload/index.js'));
    expect(recorded.loaded).toEqual(['app://caseload/index.html']);
  });

  it('blocks navigation, redirects, webviews and new windows in every web contents', () => {
    const events = new Map<string, Handler>();
    let openHandler: Handler | null = null;
    recorded.appHandlers.get('web-contents-created')!({}, { on: (e: string, fn: Handler) => events.set(e, fn), setWindowOpenHandler: (fn: Handler) => (openHandler = fn) });
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      events.get(event)!({ preventDefault: () => (prevented = true) }, 'https://example.org');
      expect(prevented, event).toBe(true);
    }
    expect(openHandler!({ url: 'https://example.org' })).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    let granted: unknown = 'unset';
    recorded.permissionRequest!({}, 'media', (ok: boolean) => (granted = ok));
    expect(granted).toBe(false);
    expect(recorded.permissionCheck!({}, 'notifications')).toBe(false);
  });

  it('sets the strict CSP on every response', () => {
    let headers: Record<string, string[]> = {};
    recorded.headers!({ responseHeaders: { 'x-other': ['1'] } }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']![0]).toContain("default-src 'none'; script-src 'self'");
    expect(headers['x-other']).toEqual(['1']);
  });

  it('serves only files inside the built renderer on app://', async () => {
    // URL parsing folds "/../" and "%2e%2e" itself; an encoded slash survives it and must be caught by the check.
    expect((await recorded.protocol!({ url: 'app://caseload/..%2f..%2fpackage.json' })).status).toBe(404);
    expect((await recorded.protocol!({ url: 'app://caseload/assets/..%2f..%2f..%2fpackage.json' })).status).toBe(404);
    expect((await recorded.protocol!({ url: 'app://elsewhere/index.html' })).status).toBe(404);
    await recorded.protocol!({ url: 'app://caseload/index.html' });
    expect(recorded.fetched.at(-1)).toBe(`file://${resolve(ROOT, 'out/renderer/index.html')}`);
  });

  it('answers IPC only from the app page, through the real database worker', async () => {
    const handler = recorded.ipc.get('caseload:call')!;
    expect(await handler({ senderFrame: { url: 'https://evil.example/' } }, 'session.status', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await handler({ senderFrame: null }, 'session.status', {})).toMatchObject({ ok: false });
    expect(await handler({ senderFrame: mainFrame }, 'session.status', {})).toMatchObject({ ok: true, value: { state: 'needs-setup' } });
    expect(await handler({ senderFrame: mainFrame }, 'patients.list', { query: 5 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('locks on suspend and on screen lock', () => {
    expect([...recorded.power.keys()].sort()).toEqual(['lock-screen', 'suspend']);
  });
});
