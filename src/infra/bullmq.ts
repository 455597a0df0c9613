/**
 * BullMQ, loaded on first use. Loading it is about a third of the instructions the bot spends
 * starting (it brings ioredis's commands, cron-parser, luxon, msgpackr, semver…), and answering
 * an update needs it only when a message is queued: the bot polls first, and the workers load it
 * once updates flow. Queue producers call `bullmq()` where they make their queue.
 */
import { createRequire } from 'node:module';

type BullMQ = typeof import('bullmq');

let loaded: BullMQ | undefined;

/** The `bullmq` module (CommonJS: the same instance `import … from 'bullmq'` gives). */
export function bullmq(): BullMQ {
  loaded ??= createRequire(import.meta.url)('bullmq') as BullMQ;
  return loaded;
}
