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
  url: string;
  token: string;
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

async function bundleBridge(token: string): Promise<string> {
  const out = await build({
    entryPoints: [join(ROOT, 'electron/host/bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    define: { __BRIDGE_TOKEN__: JSON.stringify(token) },
  });
  return out.outputFiles[0]!.text;
}

function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, {
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
  const token = randomBytes(32).toString('base64url');
  const bridge = await bundleBridge(token);
  const index = readFileSync(indexPath, 'utf8').replace('</head>', `  <script src="/bridge.js?t=${token}"></script>\n  </head>`);
  const client = new CaseloadWorkerClient(SOURCE_WORKER, options.worker);
  const call = createShellCall(client, { chooseFolder: async () => options.exportDir ?? null });
  let expectedHost = '';

  const server = createServer((req, res) => {
    void (async () => {
      // DNS-rebinding guard: only our own loopback address may be named.
      if (req.headers.host !== expectedHost) return send(res, 421, 'Wrong host');
      const url = new URL(req.url ?? '/', `http://${expectedHost}`);
      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') return send(res, 405, 'POST only');
        const auth = req.headers.authorization?.replace(/^Bearer /, '');
        if (!tokenMatches(auth, token)) return send(res, 401, 'Missing or wrong token');
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'JSON only');
        let input: unknown;
        try {
          input = JSON.parse(await readBody(req));
        } catch {
          const error = { code: 'VALIDATION', message: 'The request body is not valid JSON.', fields: [{ path: '(input)', message: 'is not JSON' }] };
          return send(res, 200, JSON.stringify({ ok: false, error }), MIME['.json']);
        }
        const result = await call(decodeURIComponent(url.pathname.slice(5)), input);
        return send(res, 200, JSON.stringify(result), MIME['.json']);
      }
      if (req.method !== 'GET') return send(res, 405, 'GET only');
      if (url.pathname === '/bridge.js') {
        return tokenMatches(url.searchParams.get('t'), token) ? send(res, 200, bridge, MIME['.js']) : send(res, 401, 'Missing or wrong token');
      }
      if (url.pathname === '/' || url.pathname === '/index.html') {
        return tokenMatches(url.searchParams.get('t'), token) ? send(res, 200, index, MIME['.html']) : send(res, 401, 'Open the address the host printed (it carries the token).');
      }
      const file = resolve(rendererDir, '.' + decodeURIComponent(url.pathname));
      if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'Not found');
      return send(res, 200, readFileSync(file), MIME[extname(file)] ?? 'application/octet-stream');
    })().catch(() => send(res, 500, 'Host error'));
  });

  await new Promise<void>((ok) => server.listen(options.port ?? 0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  expectedHost = `127.0.0.1:${port}`;
  return {
    url: `http://${expectedHost}/?t=${token}`,
    token,
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
