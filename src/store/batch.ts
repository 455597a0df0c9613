/**
 * Several Redis commands sent in one write, answered in one round trip: what an ioredis
 * pipeline does, without ioredis's `Pipeline` object. Used where updates pay for it often: the
 * claim that starts every update, the done marker that ends it, and the campaign list read with
 * its companion reads (every /tiendo).
 *
 * Why not `redis.pipeline()`: each `Pipeline` defines its own `length` getter, a closure over
 * the pipeline, with `Object.defineProperty`. V8 keeps that getter in a hidden class of its own,
 * allocated in the old generation, so every pipeline stays reachable from old-generation
 * garbage until the next full collection: young collections copy and then promote it, with
 * its commands, their promises and replies. Measured with `--trace-gc-nvp` on a loop of
 * one-command pipelines: about 170 KB promoted at every young collection, against none for the
 * same commands sent alone; in the updates bench it was most of what filled the old
 * generation, a full collection every couple of seconds.
 *
 * The commands go through the client's own `sendCommand` with a stand-in for the pipeline's
 * stream (as ioredis's pipeline does it), so replies, the offline queue and a resend after a
 * reconnect work as for a pipeline, and the round-trip count (`src/infra/roundTrips.ts`) counts
 * the batch once.
 *
 * A script (`eval`) goes as `EVALSHA` once this client has run it: its 40-character digest
 * instead of its text, which for the claim and the send-slot scripts is some 2 KB an update
 * that the client would format, copy and write and Redis would read and hash. Should Redis not
 * have it (a restart, a failover, `SCRIPT FLUSH`), that one command runs again as `EVAL`, after
 * the rest of the batch.
 */
import { createHash } from 'node:crypto';
import { type ChainableCommander, Command, type Redis } from 'ioredis';

/** A Redis command as a pipeline method takes it: the method's name, then its arguments. */
export type Call = [string, ...unknown[]];

/** The commands `queue` adds to a pipeline, recorded to be sent later (by `sendBatch`). */
export function record(queue: (p: ChainableCommander) => void): Call[] {
  const calls: Call[] = [];
  const recorder: ChainableCommander = new Proxy({} as ChainableCommander, {
    get: (_target, name) =>
      name === 'length'
        ? calls.length
        : (...args: unknown[]) => {
            calls.push([String(name), ...args]);
            return recorder;
          },
  });
  queue(recorder);
  return calls;
}

/**
 * Sends the calls in one write; each one's error or reply, in order, as `pipeline.exec()`
 * gives them. Never rejects: a command that fails (Redis away included) has its error in its
 * place.
 */
export async function sendBatch(redis: Redis, calls: readonly Call[]): Promise<[Error | null, unknown][]> {
  if (calls.length === 0) return [];
  const known = scriptsRun(redis);
  const shas = calls.map((c) => (c[0] === 'eval' ? digestOf(String(c[1])) : undefined));
  const wire = calls.map((c, i): Call => {
    const sha = shas[i];
    return sha !== undefined && known.has(sha) ? ['evalsha', sha, ...c.slice(2)] : c;
  });
  const replies = await send(redis, wire);
  for (const [i, sha] of shas.entries()) {
    if (sha === undefined) continue;
    const [err] = replies[i]!;
    if (!err) known.add(sha);
    else if (err.message.startsWith('NOSCRIPT')) {
      known.delete(sha);
      replies[i] = (await send(redis, [calls[i]!]))[0]!;
    }
  }
  return replies;
}

/** The scripts each client has run (so Redis has them, barring a restart): their SHA1 digests. */
const scriptsSeen = new WeakMap<Redis, Set<string>>();
function scriptsRun(redis: Redis): Set<string> {
  let known = scriptsSeen.get(redis);
  if (!known) {
    known = new Set();
    scriptsSeen.set(redis, known);
  }
  return known;
}

/** A script's SHA1, as Redis names it; worked out once per script text (the scripts are constants). */
const digests = new Map<string, string>();
function digestOf(script: string): string {
  let sha = digests.get(script);
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex');
    // A bound, should a caller ever build script texts on the fly.
    if (digests.size < 256) digests.set(script, sha);
  }
  return sha;
}

function send(redis: Redis, calls: readonly Call[]): Promise<[Error | null, unknown][]> {
  const options = { replyEncoding: 'utf8' as const, keyPrefix: redis.options.keyPrefix };
  const commands = calls.map(([name, ...args]) => new Command(name, args as never, options));
  const replies = commands.map((c) =>
    c.promise.then(
      (value): [null, unknown] => [null, value],
      (err: Error): [Error, null] => [err, null],
    ),
  );
  let waiting = commands.length;
  let parts: (string | Buffer)[] = [];
  const stream = {
    isPipeline: true,
    destination: { redis },
    /** Called by `sendCommand` with each command's wire form; the last one sends them all. */
    write(writable: string | Buffer): void {
      const socket = (redis as unknown as { stream: NodeJS.WritableStream }).stream;
      // A command sent again after a reconnect goes out on its own.
      if (waiting === 0) {
        socket.write(writable);
        return;
      }
      parts.push(writable);
      if (--waiting > 0) return;
      socket.write(
        parts.every((p) => typeof p === 'string')
          ? parts.join('')
          : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))),
      );
      parts = [];
    },
  };
  const send = redis.sendCommand as (command: Command, stream: unknown) => unknown;
  for (const c of commands) send.call(redis, c, stream);
  return Promise.all(replies);
}

/**
 * Runs one Lua script, as `EVALSHA` once this client has run it (`sendBatch`): for scripts run
 * often on their own, such as a send slot taken while the budget is full. Rejects with its error.
 */
export async function evalScript(
  redis: Redis,
  script: string,
  keys: number,
  ...args: unknown[]
): Promise<unknown> {
  const [reply] = await sendBatch(redis, [['eval', script, keys, ...args]]);
  if (reply?.[0]) throw reply[0];
  return reply?.[1];
}

/** The commands `queue` adds, sent as one batch (`sendBatch`). */
export function batch(
  redis: Redis,
  queue: (p: ChainableCommander) => void,
): Promise<[Error | null, unknown][]> {
  return sendBatch(redis, record(queue));
}
