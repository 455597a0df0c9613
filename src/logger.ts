/**
 * pino, one root logger; handlers get a child carrying `update_id`. JSON lines for machines;
 * on a terminal, readable lines (pino-pretty, loaded only then, formatting in this thread so
 * nothing is lost when the process exits).
 */
import { createRequire } from 'node:module';
import { type Logger, pino } from 'pino';
import type PinoPretty from 'pino-pretty';

export type { Logger };

/** `auto`: readable on a terminal, JSON otherwise (LOG_FORMAT). */
export type LogFormat = 'auto' | 'json' | 'pretty';

const require = createRequire(import.meta.url);

/** Whether logs written to `destination` should be the readable kind. */
export function wantsPrettyLogs(destination: NodeJS.WritableStream, format: LogFormat = 'auto'): boolean {
  if (format !== 'auto') return format === 'pretty';
  return (destination as { isTTY?: boolean }).isTTY === true;
}

export function createLogger(
  level: string,
  destination: NodeJS.WritableStream = process.stdout,
  format: LogFormat = 'auto',
): Logger {
  const options = { level, base: { app: 'chibo-bot' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (!wantsPrettyLogs(destination, format)) return pino(options, destination);
  const pretty = require('pino-pretty') as typeof PinoPretty;
  return pino(
    options,
    pretty({
      destination,
      sync: true,
      colorize: (destination as { isTTY?: boolean }).isTTY === true,
      translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
      ignore: 'pid,hostname,app',
    }),
  );
}
