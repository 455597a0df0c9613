/** `units import FILE.csv`: all or nothing, every bad row listed with its line number. */
import { readFileSync } from 'node:fs';
import { type CliCommand, UsageError } from './context.js';

export const unitsCli: CliCommand = {
  name: 'units',
  usage: ['units import FILE.csv     import or update the unit tree (all or nothing)'],
  async run(args, { services, out, err }) {
    const [sub, file] = args;
    if (sub !== 'import' || !file) throw new UsageError('expected: units import FILE.csv');
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      err(`Không đọc được tệp ${file}.`);
      return 1;
    }
    const r = await services.org.importUnitsCsv('cli', bytes);
    if (!r.ok) {
      err(r.text);
      return 1;
    }
    out(r.text);
    return 0;
  },
};
