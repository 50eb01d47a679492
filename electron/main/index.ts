import { app, BrowserWindow, dialog, ipcMain, Menu, net, powerMonitor, protocol, safeStorage, session, type WebFrameMain } from 'electron';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../shared/contract/csp';
import { IPC_CHANNEL } from '../../shared/contract/ipc';
import type { DestinationPurpose } from '../../shared/contract/files';
import { loadDeviceSecret } from '../services/shell/deviceSecret';
import { createShellCall } from '../services/shell/shellCall';
import { watchScreenLock, type ScreenLockWatcher } from '../services/shell/screenLockWatcher';
import { CaseloadWorkerClient } from '../services/worker/workerClient';

/**
 * The Electron shell, kept thin: windows, security settings, and one IPC handler that forwards to the
 * database worker, where the contract is validated and the services run. No crash reporter is started,
 * so no minidump holding patient data is written or sent.
 */
const APP_ORIGIN = 'app://caseload';
const rendererDir = resolve(join(__dirname, '../renderer'));

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
}

let mainWindow: BrowserWindow | null = null;
let screenLock: ScreenLockWatcher | null = null;
const dataDir = join(app.getPath('userData'), 'caseload');

/** Started once the app is ready: the keychain can only be asked then, and the worker must know its answer. */
function startWorker(): CaseloadWorkerClient {
  const deviceSecret = loadDeviceSecret(safeStorage, join(app.getPath('userData'), 'caseload-device-secret.bin'));
  return new CaseloadWorkerClient(
    { path: join(__dirname, 'dbWorker.js') },
    {
      dataDir,
      ...(deviceSecret ? { deviceSecret: deviceSecret.toString('base64') } : {}),
      // An Electron-ABI build of the native module, kept apart from the Node build the tests use (see README).
      // Development only: an installed app loads the module it was packaged with, never one named by the environment.
      ...(app.isPackaged ? {} : { nativeBinding: process.env.CASELOAD_NATIVE_BINDING }),
    },
  );
}

/** Files leave the encrypted store only for a folder picked here, in the native dialog (shared/contract/files.ts). */
async function chooseFolder(purpose: DestinationPurpose): Promise<string | null> {
  if (!mainWindow) return null;
  const picked = await dialog.showOpenDialog(mainWindow, { title: `Choose where ${purpose} are saved`, properties: ['openDirectory', 'createDirectory'] });
  return picked.canceled ? null : (picked.filePaths[0] ?? null);
}

function isAppFrame(frame: WebFrameMain | null): boolean {
  return !!frame && !!mainWindow && frame === mainWindow.webContents.mainFrame && frame.url.startsWith(`${APP_ORIGIN}/`);
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Clinic Caseload',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false, // spellcheck would send typed clinical text to a dictionary service
      devTools: !app.isPackaged, // DevTools would let anyone at the desk read and drive the page
    },
  });
  // Keeps the caseload out of screen sharing and screenshots where the OS allows it (Windows, macOS).
  mainWindow.setContentProtection(true);
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

let worker: CaseloadWorkerClient | null = null;

void app.whenReady().then(() => {
  const started = startWorker();
  worker = started;
  const call = createShellCall(started, { chooseFolder });
  // No default menu in the installed app: its View menu has Reload and Toggle Developer Tools.
  if (app.isPackaged) Menu.setApplicationMenu(null);
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  protocol.handle('app', (request) => {
    const url = new URL(request.url);
    const file = resolve(rendererDir, '.' + decodeURIComponent(url.pathname));
    if (url.host !== 'caseload' || !file.startsWith(rendererDir + sep)) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
  ipcMain.handle(IPC_CHANNEL, (event, method: unknown, input: unknown) => {
    if (!isAppFrame(event.senderFrame)) {
      return { ok: false, error: { code: 'INTERNAL', message: 'Refused: the request did not come from the app page.' } };
    }
    return call(method, input);
  });
  const lockNow = () => void started.call('session.lock', {}).catch(() => undefined);
  powerMonitor.on('suspend', lockNow);
  powerMonitor.on('lock-screen', lockNow); // Windows and macOS
  screenLock = watchScreenLock(lockNow); // Linux desktops, over D-Bus; inert where there is no session bus
  createWindow();
});

app.on('window-all-closed', () => {
  screenLock?.close();
  void (worker?.close() ?? Promise.resolve()).finally(() => app.quit());
});
