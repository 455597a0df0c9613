/**
 * Runs `redis-server` as a child process on a free loopback port, for the sandbox, for a
 * single-machine deployment without REDIS_URL, and for the tests. Durable by default:
 * AOF with fsync on every write, so a report the bot has acknowledged survives a crash.
 *
 * The server runs in a process group of its own: Ctrl-C in a terminal (or SIGTERM to the bot's
 * group) reaches the bot only, and the bot stops Redis last, after everything that uses it.
 * If the bot is killed outright the server keeps running, and the next start reuses it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export class RedisMissingError extends Error {
  constructor(readonly installCommand: string) {
    super(`redis-server was not found on PATH. Install it with: ${installCommand}`);
    this.name = 'RedisMissingError';
  }
}

export interface EmbeddedRedisOptions {
  /** Data directory; created if missing. Data there is reused on the next start. */
  dir: string;
  /** `always` (default) for the bot; tests may trade durability for speed with `everysec`. */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** Logical databases; tests give each test file its own. */
  databases?: number;
  /** A fixed port (tests that restart Redis in place); default: a free one. */
  port?: number;
  /** Called with progress lines (installing, started). */
  onInfo?: (line: string) => void;
  /**
   * Run in a process group of its own, out of reach of signals sent to the caller's group.
   * @defaultValue true
   */
  ownProcessGroup?: boolean;
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  pid: number;
  /** False when a server already running on this data directory was reused. */
  started: boolean;
  /** Stops the server (a reused one too: whoever calls stop owns it). */
  stop(): Promise<void>;
}

function findOnPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, bin);
    if (dir && existsSync(candidate)) return candidate;
  }
  for (const dir of ['/usr/bin', '/usr/local/bin', '/usr/sbin', '/opt/homebrew/bin']) {
    const candidate = path.join(dir, bin);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function installHint(): string {
  if (process.platform === 'darwin') return 'brew install redis';
  if (existsSync('/etc/debian_version')) return 'sudo apt-get update && sudo apt-get install -y redis-server';
  if (existsSync('/etc/alpine-release')) return 'apk add redis';
  if (existsSync('/etc/redhat-release')) return 'sudo dnf install -y redis';
  return 'install Redis 7 (https://redis.io/docs/latest/operate/oss_and_stack/install/) so that redis-server is on PATH';
}

/**
 * The path of `redis-server`. On Debian or Ubuntu as root it installs Debian's package when
 * missing; anywhere else it throws RedisMissingError carrying the exact command to run.
 */
export function ensureRedisBinary(onInfo: (line: string) => void = () => {}): string {
  const found = findOnPath('redis-server');
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/etc/debian_version')) {
    onInfo('redis-server not found; installing Debian package redis-server (apt-get)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
    const installed = findOnPath('redis-server');
    if (installed) return installed;
  }
  throw new RedisMissingError(installHint());
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    let buf = '';
    sock.setTimeout(500);
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString();
      // +PONG when ready; -LOADING while the AOF is replayed.
      if (buf.includes('\r\n')) {
        sock.destroy();
        resolve(buf.startsWith('+PONG'));
      }
    });
    sock.on('error', () => resolve(false));
    sock.on('timeout', () => {
      sock.destroy();
      resolve(false);
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A redis-server already serving this data directory: one started by the bot while the CLI
 * runs, or one left behind when its parent was killed outright. Reusing it beats starting a
 * second server on the same AOF.
 */
async function findRunning(dir: string): Promise<{ pid: number; port: number } | undefined> {
  const pidFile = path.join(dir, 'redis.pid');
  const portFile = path.join(dir, 'redis.port');
  if (!existsSync(pidFile) || !existsSync(portFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const port = Number(readFileSync(portFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid) || !Number.isInteger(port)) return undefined;
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server')) return undefined;
  } catch {
    // No /proc (macOS): trust the PING below.
  }
  return (await ping(port)) ? { pid, port } : undefined;
}

function stopPid(pid: number): Promise<void> {
  return new Promise((resolve) => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      resolve();
      return;
    }
    let waited = 0;
    const timer = setInterval(() => {
      waited += 50;
      if (!alive(pid) || waited > 5_000) {
        if (alive(pid)) process.kill(pid, 'SIGKILL');
        clearInterval(timer);
        resolve();
      }
    }, 50);
  });
}

export async function startEmbeddedRedis(opts: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const info = opts.onInfo ?? (() => {});
  const bin = ensureRedisBinary(info);
  const dir = path.resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, 'redis.pid');
  const running = await findRunning(dir);
  if (running) {
    info(`reusing embedded Redis already running on 127.0.0.1:${running.port} (pid ${running.pid})`);
    return {
      url: `redis://127.0.0.1:${running.port}`,
      port: running.port,
      pid: running.pid,
      started: false,
      stop: () => stopPid(running.pid),
    };
  }

  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = opts.port ?? (await freePort());
    // biome-ignore format: one option per line reads better
    const args = [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--protected-mode', 'yes',
      '--dir', dir,
      '--pidfile', pidFile,
      '--logfile', path.join(dir, 'redis.log'),
      '--daemonize', 'no',
      '--appendonly', 'yes',
      '--appendfsync', opts.appendfsync ?? 'always',
      '--maxmemory-policy', 'noeviction',
      '--save', '',
      '--databases', String(opts.databases ?? 16),
    ];
    const child: ChildProcess = spawn(bin, args, { stdio: 'ignore', detached: opts.ownProcessGroup ?? true });
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    // A process that exits without stopping it (process.exit after a fatal error) still stops it.
    const stopOnExit = () => {
      if (!exited) child.kill('SIGTERM');
    };
    process.once('exit', stopOnExit);
    child.once('exit', () => process.removeListener('exit', stopOnExit));
    const deadline = Date.now() + 30_000;
    while (!exited && Date.now() < deadline) {
      if (await ping(port)) {
        writeFileSync(path.join(dir, 'redis.port'), String(port));
        info(`embedded Redis listening on 127.0.0.1:${port}, data in ${dir}`);
        return {
          url: `redis://127.0.0.1:${port}`,
          port,
          pid: child.pid ?? 0,
          started: true,
          stop: () => stopChild(child),
        };
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    lastError = new Error(
      `redis-server did not start on port ${port}; see ${path.join(dir, 'redis.log')} for the reason`,
    );
  }
  throw lastError ?? new Error('redis-server did not start');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
