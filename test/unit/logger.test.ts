import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, wantsPrettyLogs } from '../../src/logger.js';

/** A stream that keeps what is written; `isTTY` as a terminal's stdout has it. */
function sink(isTTY: boolean): Writable & { text: () => string; isTTY?: boolean } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as Writable & { text: () => string; isTTY?: boolean };
  if (isTTY) stream.isTTY = true;
  stream.text = () => chunks.join('');
  return stream;
}

describe('logs', () => {
  it('are JSON lines when the output is not a terminal', () => {
    const out = sink(false);
    createLogger('info', out).info({ chatId: 42 }, 'báo cáo đã lưu');
    const line = JSON.parse(out.text().trim());
    expect(line).toMatchObject({ level: 30, msg: 'báo cáo đã lưu', chatId: 42, app: 'chibo-bot' });
    expect(typeof line.time).toBe('string');
  });

  it('are readable lines on a terminal', () => {
    const out = sink(true);
    createLogger('info', out).warn({ chatId: 42 }, 'Redis connection problem');
    // Colours on a terminal; compare the words.
    const text = out.text().replace(/\u001b\[[0-9;]*m/g, '');
    expect(() => JSON.parse(text.trim())).toThrow();
    expect(text).toContain('WARN');
    expect(text).toContain('Redis connection problem');
    expect(text).toContain('chatId: 42');
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}/);
  });

  it('follow LOG_FORMAT when it is not auto', () => {
    expect(wantsPrettyLogs(sink(true), 'json')).toBe(false);
    expect(wantsPrettyLogs(sink(false), 'pretty')).toBe(true);
    expect(wantsPrettyLogs(sink(true), 'auto')).toBe(true);
    const out = sink(true);
    createLogger('info', out, 'json').info('x');
    expect(JSON.parse(out.text().trim()).msg).toBe('x');
  });
});
