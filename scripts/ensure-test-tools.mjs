// Pretest: the tests drive Debian's Chromium (e2e), a private dbus-daemon (screen lock) and a throwaway
// PostgreSQL cluster (sync server). Install what is missing when we can (root with apt); otherwise say how.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const tools = [
  { pkg: 'chromium', present: () => existsSync(chromium) },
  { pkg: 'dbus', present: () => ['/usr/bin/dbus-daemon', '/bin/dbus-daemon'].some(existsSync) },
  { pkg: 'postgresql', present: () => existsSync('/usr/lib/postgresql/15/bin/initdb') },
];
const missing = () => tools.filter((t) => !t.present()).map((t) => t.pkg);
if (missing().length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log(`Installing Debian's ${missing().join(', ')} for the tests (about a minute)…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing()], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (missing().length === 0) process.exit(0);
}
console.error(
  `The tests need ${missing().join(', ')}. Install, then run the tests again:\n\n  sudo apt-get update && sudo apt-get install -y ${missing().join(' ')}\n\n(CHROMIUM_PATH may name another Chromium binary).`,
);
process.exit(1);
