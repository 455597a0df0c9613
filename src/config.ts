/**
 * Configuration: one zod schema over the environment (and an optional `.env` file), validated
 * once at start into a typed object. Invalid configuration is reported as one message listing
 * every problem by variable name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { parseTimeOfDay } from './domain/vn.js';

const timeOfDay = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => parseTimeOfDay(v) !== undefined, `${name} must be a time of day like 08:00`)
    .transform((v) => parseTimeOfDay(v) as number);

/** `host:port` or `[ipv6]:port`; undefined when malformed. */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^\s*(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})\s*$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const configSchema = z.object({
  BOT_TOKEN: optionalString.refine(
    (v) => v === undefined || /^\d+:[A-Za-z0-9_-]{20,}$/.test(v),
    'must look like 123456789:AA… (the token @BotFather gives); leave it empty for the local sandbox',
  ),
  TELEGRAM_API_ROOT: z
    .url({ error: 'must be a URL such as https://api.telegram.org' })
    .default('https://api.telegram.org'),
  REDIS_URL: optionalString.refine(
    (v) => v === undefined || /^rediss?:\/\/[^\s]+$/.test(v),
    'must be a redis:// or rediss:// URL, e.g. redis://localhost:6379/0; leave it empty to start an embedded Redis',
  ),
  REDIS_SENTINELS: optionalString.refine(
    (v) => v === undefined || v.split(',').every((s) => parseHostPort(s) !== undefined),
    'must be Sentinel addresses as host:port separated by commas, e.g. sentinel-1:26379,sentinel-2:26379,sentinel-3:26379',
  ),
  REDIS_SENTINEL_NAME: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9._-]{1,64}$/.test(v),
    'must be the master group name from sentinel.conf (sentinel monitor <name> …), e.g. mymaster',
  ),
  REDIS_PASSWORD: optionalString,
  REDIS_SENTINEL_PASSWORD: optionalString,
  REDIS_MIN_REPLICAS: optionalString.refine(
    (v) => v === undefined || (/^\d{1,2}$/.test(v) && Number(v) <= 10),
    'must be a whole number of replicas from 0 to 10 (0 acknowledges writes without waiting for a replica)',
  ),
  REDIS_REPLICA_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a whole number of milliseconds from 50 to 60000' })
    .int('must be a whole number of milliseconds from 50 to 60000')
    .min(50, 'must be a whole number of milliseconds from 50 to 60000')
    .max(60_000, 'must be a whole number of milliseconds from 50 to 60000')
    .default(2_000),
  ADMIN_IDS: z
    .string()
    .default('')
    .refine(
      (v) => v.split(',').every((s) => s.trim() === '' || /^\d{1,15}$/.test(s.trim())),
      'must be Telegram user ids separated by commas, e.g. 12345678,87654321',
    )
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(Number),
    ),
  TIMEZONE: z
    .string()
    .default('Asia/Ho_Chi_Minh')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Ho_Chi_Minh'),
  PORT: z.coerce
    .number({ error: 'must be a whole number from 0 to 65535 (0 picks a free port)' })
    .int('must be a whole number from 0 to 65535 (0 picks a free port)')
    .min(0, 'must be a whole number from 0 to 65535 (0 picks a free port)')
    .max(65535, 'must be a whole number from 0 to 65535 (0 picks a free port)')
    .default(8080),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  WEBHOOK_URL: optionalString.refine(
    (v) => v === undefined || /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(v),
    'must be the public https:// URL Telegram should post updates to, e.g. https://bot.example.vn/telegram',
  ),
  WEBHOOK_SECRET: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v),
    'must be 1-256 characters of A-Z, a-z, 0-9, _ or -',
  ),
  LOG_FORMAT: z
    .enum(['auto', 'json', 'pretty'], {
      error: 'must be auto (readable on a terminal, JSON otherwise), json or pretty',
    })
    .default('auto'),
  ADMIN_UI_TOKEN: optionalString.refine(
    (v) => v === undefined || /^[\x21-\x7e]{24,256}$/.test(v),
    'must be 24-256 printable characters without spaces, e.g. the output of  openssl rand -hex 24 ; leave it empty to keep the queue page off',
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REMINDERS_AT: timeOfDay('REMINDERS_AT', '08:00'),
  SUMMARY_AT: timeOfDay('SUMMARY_AT', '17:00'),
  QUIET_HOURS: z
    .string()
    .default('21:00-07:00')
    .refine((v) => {
      if (v.trim().toLowerCase() === 'off') return true;
      const [a, b, ...rest] = v.split('-');
      return (
        rest.length === 0 &&
        a !== undefined &&
        b !== undefined &&
        parseTimeOfDay(a) !== undefined &&
        parseTimeOfDay(b) !== undefined
      );
    }, 'must be a range like 21:00-07:00, or off')
    .transform((v) => {
      if (v.trim().toLowerCase() === 'off') return undefined;
      const [a = '', b = ''] = v.split('-');
      return { from: parseTimeOfDay(a) as number, to: parseTimeOfDay(b) as number };
    }),
  ROLE: z
    .enum(['all', 'bot', 'worker'], {
      error:
        'must be all (everything in one process, the default), bot (answers updates) or worker (outbox and schedules)',
    })
    .default('all'),
  OUTBOX_RATE: z.coerce
    .number({ error: 'must be a whole number of messages per second' })
    .int()
    .min(1, 'must be at least 1')
    .max(1000)
    .default(30),
  ZALO_BOT_TOKEN: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9:_-]{10,256}$/.test(v),
    'must be the token Zalo Bot Manager sent you (letters, digits, ":", "_" and "-"); leave it empty to keep the Zalo channel off',
  ),
  ZALO_API_ROOT: z
    .url({ error: 'must be a URL such as https://bot-api.zaloplatforms.com' })
    .default('https://bot-api.zaloplatforms.com'),
  ZALO_WEBHOOK_URL: optionalString.refine(
    (v) => v === undefined || /^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(v),
    'must be the public https:// URL Zalo should post events to, e.g. https://bot.example.vn/zalo',
  ),
  ZALO_WEBHOOK_SECRET: optionalString.refine(
    (v) => v === undefined || /^[\x21-\x7e]{8,256}$/.test(v),
    'must be 8-256 printable characters without spaces (Zalo refuses other lengths), e.g. the output of  openssl rand -hex 24',
  ),
  PUBLIC_URL: optionalString.refine(
    (v) => v === undefined || /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(v),
    'must be the bot’s public https:// address, e.g. https://bot.example.vn (links to charts and files start with it)',
  ),
  ZALO_OUTBOX_RATE: z.coerce
    .number({ error: 'must be a whole number of messages per second' })
    .int('must be a whole number of messages per second')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .default(10),
  SEND_BUDGET: z.coerce
    .number({ error: 'must be a whole number of messages, from 1 to 1000' })
    .int('must be a whole number of messages, from 1 to 1000')
    .min(1, 'must be a whole number of messages, from 1 to 1000')
    .max(1000, 'must be a whole number of messages, from 1 to 1000')
    .default(30),
  SEND_BUDGET_WINDOW_MS: z.coerce
    .number({ error: 'must be a whole number of milliseconds from 1000 to 60000' })
    .int('must be a whole number of milliseconds from 1000 to 60000')
    .min(1000, 'must be a whole number of milliseconds from 1000 to 60000')
    .max(60_000, 'must be a whole number of milliseconds from 1000 to 60000')
    .default(1002),
  SANDBOX_DEMO: z
    .enum(['on', 'off', 'true', 'false', '1', '0'], { error: 'must be on or off' })
    .default('on')
    .transform((v) => ['on', 'true', '1'].includes(v)),
  SANDBOX_PUBLIC: z
    .enum(['on', 'off', 'true', 'false', '1', '0'], { error: 'must be on or off' })
    .default('off')
    .transform((v) => ['on', 'true', '1'].includes(v)),
});

type Parsed = z.infer<typeof configSchema>;

export interface Config {
  botToken: string | undefined;
  /** True without BOT_TOKEN and ZALO_BOT_TOKEN: the bot talks to the built-in emulators. */
  sandbox: boolean;
  /** The Telegram channel: on with BOT_TOKEN, and in the sandbox; off in a Zalo-only deployment. */
  telegram: boolean;
  telegramApiRoot: string;
  redisUrl: string | undefined;
  /** Set with REDIS_SENTINELS: connect through Sentinel to this master group. */
  redisSentinel: RedisSentinelConfig | undefined;
  /** Password of the Redis master and replicas (Sentinel mode; a URL carries its own). */
  redisPassword: string | undefined;
  /** Replicas a saved write must reach before the user is told it is saved. */
  redisMinReplicas: number;
  /** How long a saved write may wait for those replicas before it fails. */
  redisReplicaTimeoutMs: number;
  adminIds: number[];
  timezone: string;
  port: number;
  host: string;
  dataDir: string;
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  logLevel: Parsed['LOG_LEVEL'];
  logFormat: Parsed['LOG_FORMAT'];
  /** Set: the queue page (Bull Board) is mounted at /admin/queues behind this token. */
  adminUiToken: string | undefined;
  remindersAt: number;
  summaryAt: number;
  quietHours: { from: number; to: number } | undefined;
  outboxRate: number;
  /**
   * Messages every process together may send (replies and outbox) in any `windowMs`
   * (SEND_BUDGET, SEND_BUDGET_WINDOW_MS): Telegram's 30 a second (each send logged when it was
   * answered, so no margin for jitter is needed; 2 ms cover whole-ms rounding on two clocks).
   */
  sendBudget: { limit: number; windowMs: number };
  /**
   * What this process runs: `all` (the default, `npm start`), `bot` (answers updates: the
   * webhook, or the one long poller) or `worker` (the outbox and the scheduled jobs).
   */
  role: Parsed['ROLE'];
  sandboxDemo: boolean;
  /**
   * The sandbox may listen beyond loopback (SANDBOX_PUBLIC=on); it then serves its page and
   * emulator only under a random secret path printed at start.
   */
  sandboxPublic: boolean;
  /** The Zalo channel: on with ZALO_BOT_TOKEN, and in the sandbox (against its emulator). */
  zalo: ZaloConfig | undefined;
  /** The bot's public address for links (PUBLIC_URL); the sandbox falls back to its own URL. */
  publicUrl: string | undefined;
}

export interface ZaloConfig {
  /** Undefined in the sandbox: the bot uses the emulator's Zalo side with a sandbox token. */
  token: string | undefined;
  apiRoot: string;
  /** Set: webhook mode at this URL's path; otherwise long polling. */
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  /** Messages a second overall on Zalo (ZALO_OUTBOX_RATE); one a second to any one chat. */
  outboxRate: number;
}

export interface RedisSentinelConfig {
  sentinels: { host: string; port: number }[];
  /** The master group name (`sentinel monitor <name> …`). */
  name: string;
  sentinelPassword: string | undefined;
}

/** Problems that involve more than one variable. */
function crossChecks(c: Parsed): string[] {
  const problems: string[] = [];
  if (c.REDIS_SENTINELS && !c.REDIS_SENTINEL_NAME)
    problems.push(
      'REDIS_SENTINEL_NAME: required with REDIS_SENTINELS; set it to the master group name from sentinel.conf, e.g. mymaster',
    );
  if (c.REDIS_SENTINEL_NAME && !c.REDIS_SENTINELS)
    problems.push(
      'REDIS_SENTINELS: required with REDIS_SENTINEL_NAME; list the Sentinels as host:port,host:port',
    );
  if (c.REDIS_SENTINELS && c.REDIS_URL)
    problems.push(
      'REDIS_URL: set either REDIS_URL (one Redis) or REDIS_SENTINELS (Redis with Sentinel), not both; with Sentinel put the password in REDIS_PASSWORD',
    );
  if (Number(c.REDIS_MIN_REPLICAS ?? 0) > 0 && !c.REDIS_URL && !c.REDIS_SENTINELS)
    problems.push(
      'REDIS_MIN_REPLICAS: the embedded Redis has no replicas, so no write could be confirmed; set REDIS_URL or REDIS_SENTINELS, or leave REDIS_MIN_REPLICAS unset',
    );
  if (c.ROLE !== 'all' && !c.REDIS_URL && !c.REDIS_SENTINELS)
    problems.push(
      `ROLE=${c.ROLE}: processes split by role share one Redis, and the embedded Redis belongs to one process; set REDIS_URL or REDIS_SENTINELS, or leave ROLE unset (all)`,
    );
  if (c.ROLE !== 'all' && !c.BOT_TOKEN && !c.ZALO_BOT_TOKEN)
    problems.push(
      `ROLE=${c.ROLE}: the sandbox (no BOT_TOKEN) runs in one process; set BOT_TOKEN, or leave ROLE unset (all)`,
    );
  const zaloNeeds = (name: string) =>
    `${name}: needs ZALO_BOT_TOKEN (the Zalo channel is off without it); set ZALO_BOT_TOKEN or remove ${name}`;
  if (c.ZALO_WEBHOOK_URL && !c.ZALO_BOT_TOKEN) problems.push(zaloNeeds('ZALO_WEBHOOK_URL'));
  if (c.ZALO_WEBHOOK_SECRET && !c.ZALO_WEBHOOK_URL)
    problems.push(
      'ZALO_WEBHOOK_SECRET: only used with ZALO_WEBHOOK_URL; set ZALO_WEBHOOK_URL for webhook mode, or remove the secret to long-poll',
    );
  if (c.ZALO_WEBHOOK_URL && !c.ZALO_WEBHOOK_SECRET)
    problems.push(
      'ZALO_WEBHOOK_SECRET: required with ZALO_WEBHOOK_URL, 8-256 characters; Zalo sends it in X-Bot-Api-Secret-Token so the bot can refuse forged events',
    );
  if (c.ZALO_WEBHOOK_URL && !c.ZALO_WEBHOOK_URL.startsWith('https://') && !isLoopbackUrl(c.ZALO_WEBHOOK_URL))
    problems.push('ZALO_WEBHOOK_URL: Zalo posts only to https:// addresses; put the bot behind HTTPS');
  if (c.ZALO_BOT_TOKEN && !c.PUBLIC_URL && !isLoopbackUrl(c.ZALO_API_ROOT))
    problems.push(
      'PUBLIC_URL: required with ZALO_BOT_TOKEN: Zalo takes charts and files only as links, so set the bot’s public https:// address, e.g. https://bot.example.vn',
    );
  if (c.PUBLIC_URL && !c.PUBLIC_URL.startsWith('https://') && !isLoopbackUrl(c.PUBLIC_URL))
    problems.push('PUBLIC_URL: must be https:// (links are opened on phones outside your network)');
  const zaloPath = c.ZALO_WEBHOOK_URL ? pathOf(c.ZALO_WEBHOOK_URL) : undefined;
  if (
    zaloPath !== undefined &&
    (zaloPath === (c.WEBHOOK_URL ? pathOf(c.WEBHOOK_URL) : undefined) ||
      /^\/(tep|healthz|metrics|admin)(\/|$)/.test(zaloPath))
  )
    problems.push(
      `ZALO_WEBHOOK_URL: its path ${zaloPath} is taken (Telegram's webhook, /tep, /healthz, /metrics or /admin); use a path of its own, e.g. /zalo`,
    );
  if (c.WEBHOOK_URL && !c.BOT_TOKEN && c.ZALO_BOT_TOKEN)
    problems.push(
      'WEBHOOK_URL: Telegram’s webhook needs BOT_TOKEN; without it this deployment runs Zalo only (use ZALO_WEBHOOK_URL for Zalo’s webhook)',
    );
  return problems;
}

function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `.env` from the working directory if present; real environment variables win. */
export function loadEnv(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Record<string, string | undefined> {
  const file = path.join(cwd, '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...env };
}

/** True for a HOST that only this machine can reach: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * The sandbox lets anyone who reaches it act as any person, the admin included: it stays on
 * loopback unless the operator says otherwise.
 */
const sandboxExposure =
  'the sandbox (no BOT_TOKEN nor ZALO_BOT_TOKEN) lets whoever reaches it act as any person, the admin included, so it listens on loopback only. ' +
  'Use HOST=127.0.0.1, or set BOT_TOKEN or ZALO_BOT_TOKEN to run the real bot, or set SANDBOX_PUBLIC=on to serve the sandbox ' +
  'on this address under a secret path printed at start';

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  const problems = result.success
    ? []
    : result.error.issues.map((i) => `${String(i.path[0] ?? '?')}: ${i.message}`);
  const host = (env.HOST ?? '').trim() || '127.0.0.1';
  const sandbox = (env.BOT_TOKEN ?? '').trim() === '' && (env.ZALO_BOT_TOKEN ?? '').trim() === '';
  const open = ['on', 'true', '1'].includes((env.SANDBOX_PUBLIC ?? '').trim());
  if (sandbox && !open && !isLoopbackHost(host)) problems.push(`HOST=${host}: ${sandboxExposure}`);
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const c = result.data;
  const crossProblems = crossChecks(c);
  if (crossProblems.length > 0) throw new ConfigError(crossProblems);
  const sentinel: RedisSentinelConfig | undefined =
    c.REDIS_SENTINELS && c.REDIS_SENTINEL_NAME
      ? {
          sentinels: c.REDIS_SENTINELS.split(',').map((s) => parseHostPort(s)!),
          name: c.REDIS_SENTINEL_NAME,
          sentinelPassword: c.REDIS_SENTINEL_PASSWORD,
        }
      : undefined;
  return {
    botToken: c.BOT_TOKEN,
    sandbox,
    telegram: c.BOT_TOKEN !== undefined || sandbox,
    telegramApiRoot: c.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    redisUrl: c.REDIS_URL,
    redisSentinel: sentinel,
    redisPassword: c.REDIS_PASSWORD,
    // With Sentinel a failover must not lose what was acknowledged, so one replica by default.
    redisMinReplicas: c.REDIS_MIN_REPLICAS !== undefined ? Number(c.REDIS_MIN_REPLICAS) : sentinel ? 1 : 0,
    redisReplicaTimeoutMs: c.REDIS_REPLICA_TIMEOUT_MS,
    adminIds: c.ADMIN_IDS,
    timezone: c.TIMEZONE,
    port: c.PORT,
    host: c.HOST,
    dataDir: path.resolve(c.DATA_DIR),
    webhookUrl: c.WEBHOOK_URL,
    webhookSecret: c.WEBHOOK_SECRET,
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT,
    adminUiToken: c.ADMIN_UI_TOKEN,
    remindersAt: c.REMINDERS_AT,
    summaryAt: c.SUMMARY_AT,
    quietHours: c.QUIET_HOURS,
    outboxRate: c.OUTBOX_RATE,
    sendBudget: { limit: c.SEND_BUDGET, windowMs: c.SEND_BUDGET_WINDOW_MS },
    role: c.ROLE,
    sandboxDemo: c.SANDBOX_DEMO,
    sandboxPublic: sandbox && c.SANDBOX_PUBLIC,
    zalo:
      c.ZALO_BOT_TOKEN || sandbox
        ? {
            token: c.ZALO_BOT_TOKEN,
            apiRoot: c.ZALO_API_ROOT.replace(/\/+$/, ''),
            webhookUrl: c.ZALO_WEBHOOK_URL,
            webhookSecret: c.ZALO_WEBHOOK_SECRET,
            outboxRate: c.ZALO_OUTBOX_RATE,
          }
        : undefined,
    publicUrl: c.PUBLIC_URL?.replace(/\/+$/, ''),
  };
}
