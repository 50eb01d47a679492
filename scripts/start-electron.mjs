// `npm start`: launches the Electron app. Where the Electron binary cannot be had (offline build machines),
// says so and points to `npm run demo`. The native SQLite module the tests use (built for Node) is never
// touched: Electron gets its own build in .electron-native/, passed to the app through CASELOAD_NATIVE_BINDING.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const electronDir = join(root, 'node_modules/electron');
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;

function electronBinary() {
  try {
    return require('electron'); // the path of the binary, or throws when it was never downloaded
  } catch {
    return null;
  }
}

/** Not an error of ours: this machine cannot run Electron. Say so, point to the demo, and exit cleanly. */
function unavailable(message) {
  console.error(`\n${message}\n\nOn this machine, use the same app in Chromium instead:\n\n  npm run demo\n`);
  process.exit(0);
}

let binary = electronBinary();
if (!binary || !existsSync(binary)) {
  console.log(`Fetching the Electron ${electronVersion} binary…`);
  const fetched = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', timeout: 120_000 });
  binary = fetched.status === 0 ? electronBinary() : null;
  if (!binary || !existsSync(binary)) unavailable('The Electron binary cannot be downloaded here (this machine reaches only the npm registry and Debian apt).');
}

// Build the native module for Electron's ABI in a copy, leaving node_modules' Node build as it is.
const nativeDir = join(root, '.electron-native', `electron-${electronVersion}`, 'better-sqlite3-multiple-ciphers');
const nativeBinding = join(nativeDir, 'build/Release/better_sqlite3.node');
if (!existsSync(nativeBinding)) {
  rmSync(nativeDir, { recursive: true, force: true });
  cpSync(join(root, 'node_modules/better-sqlite3-multiple-ciphers'), nativeDir, { recursive: true, filter: (src) => !src.includes('/build/') });
  const env = { ...process.env };
  delete env.npm_config_nodedir; // ~/.npmrc's nodedir points at Node's headers; Electron needs its own
  try {
    execFileSync(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd: nativeDir, stdio: 'inherit', env });
  } catch {
    rmSync(nativeDir, { recursive: true, force: true });
    unavailable('Could not build the SQLite module for Electron (its headers could not be fetched). The Node build used by the tests is unchanged.');
  }
}

const child = spawn(binary, [root], { stdio: 'inherit', env: { ...process.env, CASELOAD_NATIVE_BINDING: nativeBinding } });
child.on('exit', (code) => process.exit(code ?? 0));
