/** pino, one root logger; handlers get a child carrying `update_id`. */
import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino({ level, base: { app: 'chibo-bot' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
