import Module, { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeScreensaver, startPrivateBus, type PrivateBus } from '../helpers/dbusDaemon';
import { removeDir, tempDir } from '../helpers/tempStore';

/**
 * The Electron binary cannot be downloaded on our build machines, so this loads the *built* main process
 * (out/main/index.js) under Node with a recording stand-in for the 'electron' module, and checks the security
 * settings it really applies — once as the installed (packaged) app and once as a development run. The IPC path
 * goes on to the real database worker bundle, so "locked" below is the store's own answer.
 */
const ROOT = resolve(__dirname, '../..');
const MAIN = resolve(ROOT, 'out/main/index.js');
const PASSPHRASE = 'electron shell passphrase';
const BOGUS_BINDING = '/nonexistent/caseload/better_sqlite3.node';

type Handler = (...args: unknown[]) => unknown;
const mainFrame = { url: 'app://caseload/index.html' };

interface Recorded {
  /** Calls that matter for order: menu, window creation, content protection, page load. */
  log: string[];
  windows: { webPreferences: Record<string, unknown> }[];
  appHandlers: Map<string, Handler>;
  ipc: Map<string, Handler>;
  power: Map<string, Handler>;
  permissionRequest: Handler | null;
  permissionCheck: Handler | null;
  headers: Handler | null;
  protocol: ((req: { url: string }) => Response | Promise<Response>) | null;
  fetched: string[];
  quit: Promise<void>;
}

/** A stand-in 'electron' module that records what the main process asks of it. */
/** The OS keychain behind safeStorage: which backend Chromium picked on Linux, and whether it works at all. */
interface StandInKeychain {
  available: boolean;
  backend: string;
}
const REAL_KEYCHAIN: StandInKeychain = { available: true, backend: 'gnome_libsecret' };

function standInElectron(isPackaged: boolean, userData: string, keychain: StandInKeychain) {
  let quit: () => void = () => undefined;
  const recorded: Recorded = {
    log: [],
    windows: [],
    appHandlers: new Map(),
    ipc: new Map(),
    power: new Map(),
    permissionRequest: null,
    permissionCheck: null,
    headers: null,
    protocol: null,
    fetched: [],
    quit: new Promise<void>((ok) => (quit = ok)),
  };
  class FakeWindow {
    webContents = { mainFrame };
    constructor(options: { webPreferences: Record<string, unknown> }) {
      recorded.windows.push(options);
      recorded.log.push('window');
    }
    once() {}
    on() {}
    show() {}
    isMinimized() {
      return false;
    }
    focus() {}
    restore() {}
    setContentProtection(enabled: boolean) {
      recorded.log.push(`content-protection:${enabled}`);
    }
    loadURL(url: string) {
      recorded.log.push(`load:${url}`);
      return Promise.resolve();
    }
  }
  const electron = {
    app: {
      isPackaged,
      requestSingleInstanceLock: () => true,
      quit: () => quit(),
      on: (event: string, fn: Handler) => recorded.appHandlers.set(event, fn),
      whenReady: () => Promise.resolve(),
      getPath: () => userData,
    },
    BrowserWindow: FakeWindow,
    // A reversible stand-in for the OS keychain: what matters here is who asks it, and what is then on disk.
    safeStorage: {
      isEncryptionAvailable: () => keychain.available,
      getSelectedStorageBackend: () => keychain.backend,
      encryptString: (plain: string) => Buffer.from(`os-sealed:${Buffer.from(plain).toString('hex')}`),
      decryptString: (sealed: Buffer) => {
        const text = sealed.toString();
        if (!text.startsWith('os-sealed:')) throw new Error('not sealed by this keychain');
        return Buffer.from(text.slice('os-sealed:'.length), 'hex').toString();
      },
    },
    Menu: { setApplicationMenu: (menu: unknown) => recorded.log.push(`menu:${menu === null ? 'none' : 'set'}`) },
    ipcMain: { handle: (channel: string, fn: Handler) => recorded.ipc.set(channel, fn) },
    net: { fetch: (url: string) => (recorded.fetched.push(url), new Response('ok')) },
    powerMonitor: { on: (event: string, fn: Handler) => recorded.power.set(event, fn) },
    protocol: {
      registerSchemesAsPrivileged: () => undefined,
      handle: (_scheme: string, fn: Recorded['protocol']) => (recorded.protocol = fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Handler) => (recorded.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Handler) => (recorded.permissionCheck = fn),
        webRequest: { onHeadersReceived: (fn: Handler) => (recorded.headers = fn) },
      },
    },
  };
  return { electron, recorded };
}

const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleWithLoad._load;

/** Loads a fresh copy of the built main process against a new stand-in, with the given environment. */
async function loadMain(isPackaged: boolean, userData: string, env: Record<string, string>, keychain = REAL_KEYCHAIN): Promise<Recorded> {
  if (!existsSync(MAIN)) throw new Error('Run "npm run build" before the unit tests (npm test does).');
  const { electron, recorded } = standInElectron(isPackaged, userData, keychain);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  moduleWithLoad._load = function (request: string, ...rest: unknown[]) {
    return request === 'electron' ? electron : originalLoad.call(this, request, ...rest);
  };
  try {
    const load = createRequire(__filename);
    delete load.cache[MAIN];
    load(MAIN);
    await new Promise((r) => setTimeout(r, 50)); // let whenReady().then(...) run
  } finally {
    moduleWithLoad._load = originalLoad;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return recorded;
}

async function shutDown(recorded: Recorded | undefined): Promise<void> {
  if (!recorded) return;
  recorded.appHandlers.get('window-all-closed')?.();
  await recorded.quit; // the worker has closed the store by then
}

const ipcCall = (recorded: Recorded, method: string, input: unknown) => recorded.ipc.get('caseload:call')!({ senderFrame: mainFrame }, method, input);
const stateOf = async (recorded: Recorded) => ((await ipcCall(recorded, 'session.status', {})) as { value: { state: string } }).value.state;

const SECURE_WEB_PREFERENCES = {
  preload: resolve(ROOT, 'out/preload/index.js'),
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  spellcheck: false,
};

describe('Electron main process, installed app (built bundle, stand-in electron module)', () => {
  let recorded: Recorded;
  let bus: PrivateBus;
  let userData = '';
  beforeAll(async () => {
    bus = await startPrivateBus();
    userData = tempDir('caseload-electron-');
    // A development-only override in the environment of an installed app must be ignored.
    recorded = await loadMain(true, userData, { CASELOAD_NATIVE_BINDING: BOGUS_BINDING, DBUS_SESSION_BUS_ADDRESS: bus.address });
  });
  afterAll(async () => {
    await shutDown(recorded);
    await bus?.stop();
    removeDir(userData);
  });

  it('opens one window with exactly the secure web preferences, DevTools off, no menu, content protection on', () => {
    expect(recorded.windows).toHaveLength(1);
    expect(recorded.windows[0]!.webPreferences).toEqual({ ...SECURE_WEB_PREFERENCES, devTools: false });
    expect(recorded.log).toEqual(['menu:none', 'window', 'content-protection:true', 'load:app://caseload/index.html']);
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

  it('ignores CASELOAD_NATIVE_BINDING: the store is created with the packaged native module', async () => {
    expect(await ipcCall(recorded, 'session.setup', { passphrase: PASSPHRASE, displayName: 'Dr Shell', role: 'hit' })).toMatchObject({ ok: true, value: { state: 'unlocked' } });
  });

  it('seals the key file to the OS keychain (safeStorage), so a copied key file cannot be tried elsewhere', () => {
    const keyFile = JSON.parse(readFileSync(join(userData, 'caseload', 'caseload.key'), 'utf8'));
    expect(keyFile.sealed).toEqual({ iv: expect.any(String), tag: expect.any(String), ciphertext: expect.any(String) });
    expect(keyFile.wrapped).toBeUndefined();
    expect(readFileSync(join(userData, 'caseload-device-secret.bin'), 'utf8')).toMatch(/^os-sealed:/);
  });

  /**
   * Unlocks, fires one lock trigger, and returns the store's state. A powerMonitor event fires once: its lock call
   * is queued in the worker ahead of the status call. A bus signal is repeated until it lands (or 10 s pass),
   * because the watcher's subscription may still be on its way to the bus when the test starts.
   */
  async function stateAfter(fire: () => void, repeatUntilLocked = false): Promise<string> {
    expect(await ipcCall(recorded, 'session.unlock', { passphrase: PASSPHRASE })).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(await stateOf(recorded)).toBe('unlocked');
    fire();
    let state = await stateOf(recorded);
    const deadline = Date.now() + 10_000;
    while (repeatUntilLocked && state !== 'locked' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      state = await stateOf(recorded);
      if (state !== 'locked') fire();
    }
    return state;
  }

  it('listens for suspend and screen lock from powerMonitor only', () => {
    expect([...recorded.power.keys()].sort()).toEqual(['lock-screen', 'suspend']);
  });

  it('locks the store on suspend', async () => {
    await ipcCall(recorded, 'session.lock', {});
    expect(await stateAfter(() => recorded.power.get('suspend')!())).toBe('locked');
  });

  it('locks the store on screen lock (powerMonitor, Windows and macOS)', async () => {
    expect(await stateAfter(() => recorded.power.get('lock-screen')!())).toBe('locked');
  });

  it("locks the store on screen lock on Linux (the session bus screensaver's ActiveChanged(true))", async () => {
    const screensaver = await startFakeScreensaver(bus);
    try {
      // The screen unlocking is not a lock.
      expect(await stateAfter(() => screensaver.activeChanged(false))).toBe('unlocked');
      await new Promise((r) => setTimeout(r, 500));
      expect(await stateOf(recorded)).toBe('unlocked');
      expect(await stateAfter(() => screensaver.activeChanged(true), true)).toBe('locked');
    } finally {
      screensaver.close();
    }
  });
});

describe('Electron main process, development run', () => {
  let recorded: Recorded;
  let userData = '';
  beforeAll(async () => {
    userData = tempDir('caseload-electron-dev-');
    // No session bus here: the shell must start all the same.
    recorded = await loadMain(false, userData, { CASELOAD_NATIVE_BINDING: BOGUS_BINDING, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/caseload/bus' });
  });
  afterAll(async () => {
    await shutDown(recorded);
    removeDir(userData);
  });

  it('keeps DevTools and the default menu for development; the rest of the settings are the same', () => {
    expect(recorded.windows).toHaveLength(1);
    expect(recorded.windows[0]!.webPreferences).toEqual({ ...SECURE_WEB_PREFERENCES, devTools: true });
    expect(recorded.log).toEqual(['window', 'content-protection:true', 'load:app://caseload/index.html']);
  });

  it('honours CASELOAD_NATIVE_BINDING (here a missing file, so creating the store fails)', async () => {
    const result = (await ipcCall(recorded, 'session.setup', { passphrase: PASSPHRASE, displayName: 'Dr Dev', role: 'hit' })) as { ok: boolean; error?: { code: string } };
    expect(result.ok).toBe(false);
    expect(result.error?.code).not.toBe('VALIDATION');
  });
});

describe('Electron main process, installed app where the only keychain is basic_text', () => {
  let recorded: Recorded;
  let userData = '';
  beforeAll(async () => {
    userData = tempDir('caseload-electron-basic-');
    recorded = await loadMain(true, userData, { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/caseload/bus' }, { available: true, backend: 'basic_text' });
  });
  afterAll(async () => {
    await shutDown(recorded);
    removeDir(userData);
  });

  it('never uses the basic_text backend: the key file keeps the passphrase wrap alone', async () => {
    expect(await ipcCall(recorded, 'session.setup', { passphrase: PASSPHRASE, displayName: 'Dr Basic', role: 'pwp' })).toMatchObject({ ok: true });
    const keyFile = JSON.parse(readFileSync(join(userData, 'caseload', 'caseload.key'), 'utf8'));
    expect(keyFile.wrapped).toEqual({ iv: expect.any(String), tag: expect.any(String), ciphertext: expect.any(String) });
    expect(keyFile.sealed).toBeUndefined();
    expect(existsSync(join(userData, 'caseload-device-secret.bin'))).toBe(false);
  });
});

