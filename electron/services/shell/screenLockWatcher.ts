import { existsSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import * as dbusNative from '@homebridge/dbus-native';

/**
 * Lock on screen lock on Linux desktops: listens on the D-Bus session bus for the screensaver's
 * `ActiveChanged(true)` signal (freedesktop's interface, and GNOME's where that is the one emitted) and calls
 * `onLock`. Electron's own `lock-screen` event never fires on Linux, hence this.
 *
 * Plain Node (no Electron), so it is tested against a private dbus-daemon. It never throws and never crashes
 * the process: no bus (Windows, macOS, a bare Linux session), an unreachable or refusing bus, or a bus that
 * goes away later all just leave it inert. Any program on the session bus can send such a signal; the worst it
 * can do is lock the caseload, which is safe.
 */
export const SCREENSAVER_INTERFACES = ['org.freedesktop.ScreenSaver', 'org.gnome.ScreenSaver'] as const;

export interface ScreenLockWatcher {
  /** True once the bus has accepted the match rules (signals are delivered from then on); false if it never will. */
  readonly ready: Promise<boolean>;
  close(): void;
}

interface DbusMessage {
  type?: number;
  interface?: string;
  member?: string;
  body?: unknown[];
}
interface DbusBus {
  connection: NodeJS.EventEmitter & { end(): void };
  addMatch(rule: string, callback: (error: unknown) => void): void;
}
type CreateClient = (options: { stream: Socket; authMethods?: string[] }) => DbusBus;

const SIGNAL = 4; // D-Bus message type
const READY_TIMEOUT_MS = 5_000;

/** Decodes a D-Bus address value (`%xx` escapes); null when malformed. */
function unescapeValue(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * The socket to connect to for a D-Bus address. Only Unix socket files (`unix:path=`, as systemd user sessions
 * use) are used: `tcp:` would carry the session over the network and `unixexec:` would start a program named by
 * an environment variable, so both are ignored; Linux abstract sockets (`unix:abstract=`, older dbus-launch
 * sessions) cannot be reached through Node's net module, so there the watcher stays inert.
 */
export function socketPathFor(address: string): string | null {
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':');
    if (colon < 0 || entry.slice(0, colon) !== 'unix') continue;
    const params = new Map<string, string>();
    for (const pair of entry.slice(colon + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) params.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const path = params.get('path');
    if (path !== undefined) return unescapeValue(path);
  }
  return null;
}

/** The session bus's address: the environment's, else the systemd user bus when it exists. */
function sessionBusAddress(): string | undefined {
  const fromEnv = process.env.DBUS_SESSION_BUS_ADDRESS;
  if (fromEnv) return fromEnv;
  if (process.platform !== 'linux' || typeof process.getuid !== 'function') return undefined;
  const runtime = process.env.XDG_RUNTIME_DIR || `/run/user/${process.getuid()}`;
  const path = `${runtime}/bus`;
  return existsSync(path) ? `unix:path=${path}` : undefined;
}

export function watchScreenLock(onLock: () => void, options: { busAddress?: string } = {}): ScreenLockWatcher {
  let closed = false;
  let socket: Socket | null = null;
  let settle: (ok: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((resolveReady) => {
    settle = (ok) => {
      resolveReady(ok);
      settle = () => undefined;
    };
  });
  const close = () => {
    closed = true;
    settle(false);
    socket?.destroy();
    socket = null;
  };

  try {
    const address = options.busAddress ?? sessionBusAddress();
    const path = address ? socketPathFor(address) : null;
    if (!path) {
      close();
      return { ready, close };
    }
    socket = createConnection(path);
    const timer = setTimeout(close, READY_TIMEOUT_MS);
    timer.unref();
    void ready.then(() => clearTimeout(timer));
    // The process's own socket is never ended by a pending connection, and never keeps Electron from quitting.
    socket.unref();
    socket.on('error', close);
    socket.on('close', close);

    const createClient = (dbusNative as unknown as { createClient: CreateClient }).createClient;
    const bus = createClient({ stream: socket, authMethods: ['EXTERNAL'] });
    bus.connection.on('error', close);
    bus.connection.on('message', (message: DbusMessage) => {
      if (closed || message.type !== SIGNAL || message.member !== 'ActiveChanged') return;
      if (!(SCREENSAVER_INTERFACES as readonly string[]).includes(message.interface ?? '')) return;
      if (message.body?.[0] !== true) return; // ActiveChanged(false) is the screen unlocking
      try {
        onLock();
      } catch {
        // The lock call reports its own failures; the listener must stay alive for the next lock.
      }
    });

    let pending = SCREENSAVER_INTERFACES.length;
    for (const iface of SCREENSAVER_INTERFACES) {
      bus.addMatch(`type='signal',interface='${iface}',member='ActiveChanged'`, (error) => {
        if (error) return close();
        if (--pending === 0 && !closed) settle(true);
      });
    }
  } catch {
    close();
  }
  return { ready, close };
}
