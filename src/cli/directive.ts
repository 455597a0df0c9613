/**
 * `directive send …` broadcasts a directive with the same checks as /thongbao and prints its id
 * on the last line; `directive status ID` prints `delivered x/y`, `acknowledged a/b` and the
 * lists; `directive cancel ID` stops what has not gone out. The running bot's worker does the
 * sending, so `send` returns as soon as the directive is queued.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { msg } from '../messages/index.js';
import { type CliCommand, UsageError } from './context.js';

const m = msg.directives;
const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);

function parse(args: string[]): Record<string, string | undefined> {
  try {
    return parseArgs({
      args,
      options: {
        title: { type: 'string' },
        number: { type: 'string' },
        'text-file': { type: 'string' },
        file: { type: 'string' },
        audience: { type: 'string' },
        'ack-hours': { type: 'string' },
        deadline: { type: 'string' },
        issued: { type: 'string' },
        issuer: { type: 'string' },
      },
    }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

export const directiveCli: CliCommand = {
  name: 'directive',
  usage: [
    'directive send --title "…" [--number "74-KH/ĐU"] [--issued DD/MM/YYYY] [--issuer "Đảng ủy …"]',
    '               --text-file F [--file PATH]',
    '               --audience all-secretaries|unit:CODE|kind:KIND[,KIND]|leaders [--ack-hours H]',
    '               [--deadline DD/MM/YYYY]',
    '                          broadcast a directive; prints its id on the last line',
    'directive status ID       delivered x/y, acknowledged a/b, then failed/unreachable/not acknowledged',
    'directive cancel ID       stop what has not been sent yet, and the follow-ups',
  ],
  async run(args, { services, out, err }) {
    const [sub, ...rest] = args;
    const svc = services.directives;
    if (sub === 'status' || sub === 'cancel') {
      const id = rest[0];
      if (!id) throw new UsageError(`expected: directive ${sub} ID`);
      if (sub === 'status') {
        const lines = await svc.statusLines(id);
        if (!lines) {
          err(m.cli.unknown(id));
          return 1;
        }
        for (const line of lines) out(line);
        return 0;
      }
      const r = await svc.cancel('cli', id);
      if (!r.ok) {
        err(r.text);
        return 1;
      }
      out(r.already ? m.cli.alreadyCancelled(id) : m.cli.cancelled(id, r.stopped));
      return 0;
    }
    if (sub !== 'send')
      throw new UsageError('expected: directive send …, directive status ID or directive cancel ID');
    const values = parse(rest);
    if (!values.title || !values['text-file'] || !values.audience)
      throw new UsageError('directive send needs --title, --text-file and --audience');
    let text: string;
    try {
      text = await readFile(values['text-file'], 'utf8');
    } catch {
      err(m.errors.textFileUnreadable(values['text-file']));
      return 1;
    }
    let file: { bytes: Buffer; filename: string; kind: 'document' | 'photo' } | undefined;
    if (values.file) {
      try {
        const filename = path.basename(values.file);
        const kind = PHOTO_EXTENSIONS.has(path.extname(filename).toLowerCase()) ? 'photo' : 'document';
        file = { bytes: await readFile(values.file), filename, kind };
      } catch {
        err(m.errors.fileUnreadable(values.file));
        return 1;
      }
    }
    const r = await svc.send(
      'cli',
      {
        title: values.title,
        text,
        audience: values.audience,
        ...(values.number !== undefined ? { number: values.number } : {}),
        ...(values['ack-hours'] !== undefined ? { ackHours: values['ack-hours'] } : {}),
        ...(values.deadline !== undefined ? { deadline: values.deadline } : {}),
        ...(values.issued !== undefined ? { issued: values.issued } : {}),
        ...(values.issuer !== undefined ? { issuer: values.issuer } : {}),
      },
      file ? { file } : {},
    );
    if (!r.ok) {
      for (const e of r.errors) err(e);
      return 1;
    }
    out(m.cli.sentTo(r.directive.id, r.recipients));
    out(r.directive.id);
    return 0;
  },
};
