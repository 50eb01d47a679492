import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import * as dbusNative from '@homebridge/dbus-native';
import { removeDir, tempDir } from './tempStore';

/**
 * A private session bus for tests: `dbus-daemon --session --nofork --print-address` on a socket in a temp folder
 * (the `dbus` Debian package; .ci/run installs it). Never the desktop's own bus.
 */
export interface PrivateBus {
  address: string;
  stop(): Promise<void>;
}

export async function startPrivateBus(): Promise<PrivateBus> {
  const dir = tempDir('caseload-dbus-');
  const listen = `unix:path=${join(dir, 'bus')}`;
  const daemon: ChildProcess = spawn('dbus-daemon', ['--session', '--nofork', '--print-address', `--address=${listen}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await new Promise<string>((ok, fail) => {
    let out = '';
    daemon.on('error', fail);
    daemon.on('exit', (code) => fail(new Error(`dbus-daemon exited (${code})`)));
    daemon.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) ok(out.trim());
    });
  });
  return {
    address,
    stop: () =>
      new Promise<void>((ok) => {
        const done = () => (removeDir(dir), ok());
        if (daemon.exitCode !== null || daemon.signalCode !== null) return done();
        daemon.once('exit', done);
        daemon.kill('SIGTERM');
      }),
  };
}

interface TestBus {
  connection: NodeJS.EventEmitter & { end(): void };
  requestName(name: string, flags: number, cb: (err: unknown, code?: number) => void): void;
  sendSignal(path: string, iface: string, member: string, signature: string, body: unknown[]): void;
}

/**
 * A stand-in screensaver on the private bus: owns the well-known name, as a desktop's screensaver does,
 * and emits `ActiveChanged` as it does when the screen locks (true) or unlocks (false).
 */
export async function startFakeScreensaver(bus: PrivateBus, name = 'org.freedesktop.ScreenSaver') {
  const socketPath = bus.address.slice('unix:path='.length).split(',')[0]!;
  const createClient = (dbusNative as unknown as { createClient(o: { stream: unknown; authMethods: string[] }): TestBus }).createClient;
  const client = createClient({ stream: createConnection(socketPath), authMethods: ['EXTERNAL'] });
  client.connection.on('error', () => undefined);
  await new Promise<void>((ok, fail) => client.requestName(name, 4, (err) => (err ? fail(new Error(String(err))) : ok())));
  return {
    activeChanged(active: boolean, iface = name, path = '/org/freedesktop/ScreenSaver') {
      client.sendSignal(path, iface, 'ActiveChanged', 'b', [active]);
    },
    close: () => client.connection.end(),
  };
}
