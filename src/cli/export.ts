/**
 * `export congress|meetings|directive|badges …`: the workbooks of /xuat from the server, for any unit
 * (the root by default). The congress export also writes its printable PDF, next to the
 * workbook unless `--pdf` names the file. Prints the paths written, one per line.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseYearMonth } from '../domain/meetings/calendar.js';
import type { ExportOutcome } from '../services/exports/index.js';
import { type CliCommand, type CliContext, UsageError } from './context.js';

function options(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        pdf: { type: 'string' },
        campaign: { type: 'string' },
        unit: { type: 'string' },
        month: { type: 'string' },
        occasion: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** "bao-cao.xlsx" → "bao-cao.pdf". */
function besideAsPdf(xlsx: string): string {
  const ext = path.extname(xlsx);
  return `${ext ? xlsx.slice(0, -ext.length) : xlsx}.pdf`;
}

/** Writes each file of an outcome to the path given for its type; returns the exit code. */
async function write(
  outcome: ExportOutcome,
  targets: { xlsx: string; pdf?: string },
  { out, err }: Pick<CliContext, 'out' | 'err'>,
): Promise<number> {
  if (!outcome.ok) {
    err(outcome.text);
    return 1;
  }
  for (const file of outcome.files) {
    const target = file.filename.endsWith('.pdf') ? targets.pdf : targets.xlsx;
    if (target === undefined) continue;
    await mkdir(path.dirname(path.resolve(target)), { recursive: true });
    await writeFile(target, file.content);
    out(target);
  }
  return 0;
}

export const exportCli: CliCommand = {
  name: 'export',
  usage: [
    'export congress [--campaign ID] [--unit CODE] --out FILE.xlsx [--pdf FILE.pdf]',
    '                          congress results and summary; the printable PDF goes next to the workbook',
    'export meetings --month MM/YYYY [--unit CODE] --out FILE.xlsx',
    '                          meeting attendance per branch for the month',
    'export directive ID --out FILE.xlsx',
    '                          receipts and acknowledgements of one directive',
    'export badges --occasion DD/MM/YYYY [--unit CODE] --out FILE.xlsx',
    '                          members proposed for Huy hiệu Đảng at the occasion, to send up',
  ],
  async run(args, ctx) {
    const { values, positionals } = options(args);
    const [what, id] = positionals;
    const outFile = values.out;
    if (outFile === undefined) throw new UsageError('--out FILE.xlsx is required');
    const exports = ctx.services.exports;
    switch (what) {
      case 'congress': {
        const r = await exports.congress('cli', {
          ...(values.campaign !== undefined ? { campaignId: values.campaign } : {}),
          ...(values.unit !== undefined ? { unit: values.unit } : {}),
        });
        return write(r, { xlsx: outFile, pdf: values.pdf ?? besideAsPdf(outFile) }, ctx);
      }
      case 'meetings': {
        const month = values.month === undefined ? undefined : parseYearMonth(values.month);
        if (month === undefined) throw new UsageError('--month MM/YYYY is required, e.g. --month 09/2025');
        const r = await exports.meetings('cli', {
          month,
          ...(values.unit !== undefined ? { unit: values.unit } : {}),
        });
        return write(r, { xlsx: outFile }, ctx);
      }
      case 'directive': {
        if (id === undefined) throw new UsageError('expected: export directive ID --out FILE.xlsx');
        return write(await exports.directive('cli', id), { xlsx: outFile }, ctx);
      }
      case 'badges': {
        if (values.occasion === undefined) {
          throw new UsageError('--occasion DD/MM/YYYY is required, e.g. --occasion 02/09/2026');
        }
        const r = await exports.badges('cli', {
          occasion: values.occasion,
          ...(values.unit !== undefined ? { unit: values.unit } : {}),
        });
        return write(r, { xlsx: outFile }, ctx);
      }
      default:
        throw new UsageError('expected: export congress|meetings|directive|badges …');
    }
  },
};
