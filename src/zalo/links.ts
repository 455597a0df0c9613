/**
 * Signed, expiring links to files on the bot's own HTTP server, for Zalo, which takes no
 * uploads: `{PUBLIC_URL}/tep/{id}/{filename}?p={person}&e={expires}&s={signature}`.
 *
 * A link is made for one person and lasts 24 hours. The signature (HMAC-SHA256 over id, person,
 * expiry and file name, with a key kept in Redis) is checked in constant time; an unsigned,
 * altered or expired link, or one whose file is gone, gets the same bare 404, so it reveals
 * nothing about what exists.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../infra/clock.js';
import type { Route } from '../infra/httpServer.js';
import type { FileLinkStore } from '../store/fileLinks.js';

export const LINK_TTL_MS = 24 * 3600 * 1000;
const PATH = /^\/tep\/([A-Za-z0-9_-]{22})\/([^/?#]{1,200})$/;

const MIME: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
};

export function mimeOf(filename: string): string {
  return MIME[filename.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/** The file name as it travels in the path: safe characters only. */
function pathName(filename: string): string {
  const safe = filename
    .normalize('NFC')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (safe || 'tep').slice(0, 120);
}

export class FileLinks {
  constructor(
    private readonly store: FileLinkStore,
    private readonly publicUrl: () => string,
    private readonly clock: Clock,
  ) {}

  /** Keeps the file and returns its link for `person`, valid 24 hours. */
  async create(
    person: number,
    filename: string,
    bytes: Uint8Array,
  ): Promise<{ url: string; expires: number }> {
    const now = this.clock.now();
    const expires = now + LINK_TTL_MS;
    const name = pathName(filename);
    const id = await this.store.put(
      { person, filename: name, mime: mimeOf(name), bytes: Buffer.from(bytes) },
      expires,
      now,
    );
    const sig = await this.sign(id, person, expires, name);
    return { url: `${this.publicUrl()}/tep/${id}/${name}?p=${person}&e=${expires}&s=${sig}`, expires };
  }

  private async sign(id: string, person: number, expires: number, name: string): Promise<string> {
    return createHmac('sha256', await this.store.secret())
      .update(`${id}|${person}|${expires}|${name}`)
      .digest('base64url');
  }

  /** `GET /tep/…`: the file, or 404 for anything not exactly a live link. */
  route(): Route {
    return async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://bot.local');
      if (!url.pathname.startsWith('/tep/')) return false;
      const notFound = () => {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('Not found');
        return true;
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') return notFound();
      const m = PATH.exec(url.pathname);
      const person = url.searchParams.get('p') ?? '';
      const expires = url.searchParams.get('e') ?? '';
      const given = url.searchParams.get('s') ?? '';
      if (!m || !/^\d{1,16}$/.test(person) || !/^\d{1,15}$/.test(expires)) return notFound();
      const [, id = '', name = ''] = m;
      if (Number(expires) <= this.clock.now()) return notFound();
      const expected = Buffer.from(await this.sign(id, Number(person), Number(expires), name));
      const got = Buffer.from(given);
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) return notFound();
      const file = await this.store.get(id);
      if (
        !file ||
        file.person !== Number(person) ||
        file.filename !== name ||
        file.expires !== Number(expires)
      )
        return notFound();
      res.writeHead(200, {
        'content-type': file.mime,
        'content-length': file.bytes.length,
        'content-disposition': `${file.mime.startsWith('image/') ? 'inline' : 'attachment'}; filename="${file.filename}"`,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(req.method === 'HEAD' ? undefined : file.bytes);
      return true;
    };
  }
}
