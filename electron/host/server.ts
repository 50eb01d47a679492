import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { CONTENT_SECURITY_POLICY } from '../../shared/contract/csp';
import { createShellCall } from '../services/shell/shellCall';
import { CaseloadWorkerClient, type WorkerScript } from '../services/worker/workerClient';

/** The host runs the services from source (through tsx), exactly the code the app bundles. */
export const SOURCE_WORKER: WorkerScript = { path: join(__dirname, '../services/worker/dbWorker.ts'), register: require.resolve('tsx/cjs') };
import type { WorkerConfig } from '../services/worker/protocol';

/**
 * The second shell (DESIGN.md §2): serves the built renderer, a bridge script and the same service registry
 * over HTTP on 127.0.0.1, so tests and the demo drive exactly the page and services the Electron app uses.
 */
export interface HostOptions {
  worker: WorkerConfig;
  rendererDir?: string;
  port?: number;
  /** The folder the host's "choose folder" answers with (its stand-in for the native dialog); none: cancelled. */
  exportDir?: string;
}

export interface RunningHost {
  /** The address to open: the page's URL with a one-time sign-in code (never the token). */
  url: string;
  /** For programs (tests) calling the API directly: `Authorization: Bearer <token>`. Never put in a URL. */
  token: string;
  /** A fresh address with its own one-time code, e.g. one for Chromium and one to print. */
  signInUrl(): string;
  close(): Promise<void>;
}

const ROOT = resolve(__dirname, '../..');
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
const MAX_BODY = 1024 * 1024;

async function bundleBridge(): Promise<string> {
  const out = await build({
    entryPoints: [join(ROOT, 'electron/host/bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
  });
  return out.outputFiles[0]!.text;
}

function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Takes `given` out of `secrets` if it is there (each code works once); compared in constant time. */
function takeOnce(secrets: Set<string>, given: string | null): boolean {
  for (const secret of secrets) {
    if (tokenMatches(given, secret)) {
      secrets.delete(secret);
      return true;
    }
  }
  return false;
}

function oneOf(secrets: Set<string>, given: string | null | undefined): boolean {
  let found = false;
  for (const secret of secrets) found = tokenMatches(given, secret) || found;
  return found;
}

/** The value of one cookie from a Cookie header, or null. */
function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** decodeURIComponent without the URIError: null for a malformed %-encoding. */
function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

const newSecret = () => randomBytes(32).toString('base64url');

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...extra,
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-resource-policy': 'same-origin',
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const rendererDir = resolve(options.rendererDir ?? join(ROOT, 'out/renderer'));
  const indexPath = join(rendererDir, 'index.html');
  if (!existsSync(indexPath)) throw new Error(`No built renderer at ${rendererDir}. Run "npm run build" first.`);
  // Two ways in. Programs (tests) send `Authorization: Bearer <token>`. A browser is given an address with a
  // one-time code, exchanged once for an HttpOnly, SameSite=Strict cookie, so no secret is left in a URL, a
  // browser's history or Chromium's command line, and the page's script never holds one.
  const token = newSecret();
  const codes = new Set<string>();
  const sessions = new Set<string>();
  const bridge = await bundleBridge();
  const index = readFileSync(indexPath, 'utf8').replace('</head>', '  <script src="/bridge.js"></script>\n  </head>');
  const client = new CaseloadWorkerClient(SOURCE_WORKER, options.worker);
  const call = createShellCall(client, { chooseFolder: async () => options.exportDir ?? null });
  let expectedHost = '';
  let cookieName = '';

  const hasSession = (req: IncomingMessage) => oneOf(sessions, cookieValue(req.headers.cookie, cookieName));
  const apiAllowed = (req: IncomingMessage): boolean => {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) return /^Bearer [A-Za-z0-9_-]+$/.test(authorization) && tokenMatches(authorization.slice(7), token);
    // The cookie alone is not enough (CSRF): the custom header cannot be sent cross-site without a CORS
    // preflight, which this host never answers, and a browser's Origin must be this host's own.
    const origin = req.headers.origin;
    return req.headers['x-caseload'] === '1' && (origin === undefined || origin === `http://${expectedHost}`) && hasSession(req);
  };

  const server = createServer((req, res) => {
    void (async () => {
      // DNS-rebinding guard: only our own loopback address may be named.
      if (req.headers.host !== expectedHost) return send(res, 421, 'Wrong host');
      let url: URL;
      try {
        url = new URL(req.url ?? '/', `http://${expectedHost}`);
      } catch {
        return send(res, 400, 'Bad request');
      }
      const path = decodePath(url.pathname);
      if (path === null) return send(res, 400, 'Bad %-encoding in the address');
      if (path.startsWith('/api/')) {
        if (req.method !== 'POST') return send(res, 405, 'POST only');
        if (!apiAllowed(req)) return send(res, 401, 'Missing or wrong credentials');
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'JSON only');
        let input: unknown;
        try {
          input = JSON.parse(await readBody(req));
        } catch {
          const error = { code: 'VALIDATION', message: 'The request body is not valid JSON.', fields: [{ path: '(input)', message: 'is not JSON' }] };
          return send(res, 200, JSON.stringify({ ok: false, error }), MIME['.json']);
        }
        const result = await call(path.slice(5), input);
        return send(res, 200, JSON.stringify(result), MIME['.json']);
      }
      if (req.method !== 'GET') return send(res, 405, 'GET only');
      if (path === '/' && url.searchParams.has('code')) {
        if (!takeOnce(codes, url.searchParams.get('code'))) {
          return send(res, 401, 'This sign-in address has already been used. Restart the host for a new one.');
        }
        const session = newSecret();
        sessions.add(session);
        return send(res, 303, 'Signed in', undefined, {
          location: '/',
          'set-cookie': `${cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`,
        });
      }
      if (path === '/bridge.js') {
        return hasSession(req) ? send(res, 200, bridge, MIME['.js']) : send(res, 401, 'Not signed in');
      }
      if (path === '/' || path === '/index.html') {
        return hasSession(req) ? send(res, 200, index, MIME['.html']) : send(res, 401, 'Open the address the host printed (it carries a one-time sign-in code).');
      }
      const file = resolve(rendererDir, '.' + path);
      if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'Not found');
      return send(res, 200, readFileSync(file), MIME[extname(file)] ?? 'application/octet-stream');
    })().catch(() => send(res, 500, 'Host error'));
  });

  await new Promise<void>((ok) => server.listen(options.port ?? 0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  expectedHost = `127.0.0.1:${port}`;
  cookieName = `caseload_${port}`; // cookies ignore the port: a host on another port must not see this one's
  const signInUrl = () => {
    const code = newSecret();
    codes.add(code);
    return `http://${expectedHost}/?code=${code}`;
  };
  return {
    url: signInUrl(),
    token,
    signInUrl,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await client.close();
    },
  };
}

/** Both host entry points stop cleanly on Ctrl+C or SIGTERM, closing the store first. */
export function stopOnSignals(host: RunningHost): void {
  const stop = () => void host.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Runs an async entry point; a failure prints its message (never a stack with data in it) and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
