/**
 * What a CLI command gets: the same services the bot uses, and where to write. Results go to
 * stdout (so they can be redirected into a file); logs and errors go to stderr.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';

export interface CliContext {
  services: Services;
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface CliCommand {
  /** The first word: `units`, `invites`, `people`, `campaign`, … */
  name: string;
  /** One line per sub-command for `--help`. */
  usage: string[];
  /** Returns the process exit code. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** What a command that works on the raw data gets: the Redis connection, no services. */
export interface RedisCliContext {
  redis: Redis;
  config: Config;
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * A command on the data itself (backup, restore): it gets the connection only, so it opens no
 * queue and writes nothing the services would (a restore needs the target to stay empty).
 */
export interface RedisCliCommand {
  name: string;
  usage: string[];
  raw: true;
  run(args: string[], ctx: RedisCliContext): Promise<number>;
}

/** Thrown for wrong arguments: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
