/**
 * Counts Redis round trips per unit of work (an update): a plain command is one, a pipeline or
 * a MULTI is one however many commands it carries. The count follows the async context, so
 * concurrent updates are counted apart. Used by the metrics (on a sample of updates) and by the
 * test that holds each kind of update to its budget (on every update).
 *
 * Following the async context costs: while it is on, every promise created anywhere gets the
 * context copied onto it, and an update creates thousands. So it is on only while a count is
 * in flight, and off (no hook at all) in between.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Redis } from 'ioredis';

interface Counter {
  roundTrips: number;
}

const context = new AsyncLocalStorage<Counter>();
/** Counts in flight: the context is followed only while there is one. */
let inFlight = 0;
let installed = false;

/** Patches ioredis once so every command sent inside `countRoundTrips` is counted. */
function install(): void {
  if (installed) return;
  installed = true;
  const proto = Redis.prototype as unknown as {
    sendCommand: (command: unknown, stream?: { isPipeline?: boolean }) => unknown;
  };
  const send = proto.sendCommand;
  // A pipeline hands each of its commands over with the same stream object: count that once.
  const seen = new WeakSet<object>();
  proto.sendCommand = function (this: unknown, command: unknown, stream?: { isPipeline?: boolean }) {
    const counter = inFlight > 0 ? context.getStore() : undefined;
    if (counter) {
      if (!stream?.isPipeline) counter.roundTrips++;
      else if (!seen.has(stream)) {
        seen.add(stream);
        counter.roundTrips++;
      }
    }
    return send.call(this, command, stream);
  };
}

/** Runs `work` and says how many Redis round trips it made. */
export async function countRoundTrips<T>(work: () => Promise<T>): Promise<{ result: T; roundTrips: number }> {
  install();
  const counter: Counter = { roundTrips: 0 };
  inFlight++;
  try {
    const result = await context.run(counter, work);
    return { result, roundTrips: counter.roundTrips };
  } finally {
    // The last count out turns the context off: no promise pays for it until the next.
    if (--inFlight === 0) context.disable();
  }
}
