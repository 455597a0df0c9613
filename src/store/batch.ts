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
 */
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
export function sendBatch(redis: Redis, calls: readonly Call[]): Promise<[Error | null, unknown][]> {
  if (calls.length === 0) return Promise.resolve([]);
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

/** The commands `queue` adds, sent as one batch (`sendBatch`). */
export function batch(
  redis: Redis,
  queue: (p: ChainableCommander) => void,
): Promise<[Error | null, unknown][]> {
  return sendBatch(redis, record(queue));
}
