/**
 * The backup file on disk: gzip-compressed JSON lines (format in `domain/snapshot.ts`). Written
 * beside the target as `<file>.partial` and renamed when complete, so a backup that fails half
 * way never leaves a truncated file under the final name.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { SnapshotEntry, SnapshotHeader } from '../../domain/snapshot.js';

export async function writeSnapshotFile(
  file: string,
  header: SnapshotHeader,
  entries: readonly SnapshotEntry[],
): Promise<void> {
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(partial));
  try {
    // Lines go to gzip in chunks of about 256 KB, not one write a key.
    let chunk = `${JSON.stringify(header)}\n`;
    const flush = async () => {
      if (!gzip.write(chunk)) await once(gzip, 'drain');
      chunk = '';
    };
    for (const e of entries) {
      chunk += `${JSON.stringify(e)}\n`;
      if (chunk.length >= 256 * 1024) await flush();
    }
    await flush();
    gzip.end();
    await written;
    await rename(partial, file);
  } catch (err) {
    gzip.destroy();
    await written.catch(() => {});
    await rm(partial, { force: true });
    throw err;
  }
}

/** The file's lines, decompressed, numbered from 1. Throws on a read or gzip error. */
export async function* snapshotLines(file: string): AsyncGenerator<{ n: number; text: string }> {
  const gunzip = createGunzip();
  const source = createReadStream(file);
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  const lines = createInterface({ input: gunzip, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  try {
    for await (const text of lines) {
      n++;
      yield { n, text };
    }
  } finally {
    lines.close();
    source.destroy();
  }
}
