/**
 * Files handed out as links (Zalo takes no uploads): a workbook, a PDF or a chart kept for the
 * time its link is valid, for the one person it was made for.
 *
 * Keys:
 *   cb:filelink:{id}         hash    person, filename, mime, expires (UTC ms), data (base64);
 *                                    expires with the link
 *   cb:secret:filelinks      string  the signing key, made once and shared by every instance
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const fileKey = (id: string) => `cb:filelink:${id}`;
const SECRET_KEY = 'cb:secret:filelinks';
export const FILE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export interface StoredLinkFile {
  person: number;
  filename: string;
  mime: string;
  expires: number;
  bytes: Buffer;
}

export class FileLinkStore {
  constructor(private readonly redis: Redis) {}

  /** The signing key (made on first use; every instance reads the same one). */
  async secret(): Promise<Buffer> {
    const fresh = randomBytes(32).toString('base64');
    await this.redis.set(SECRET_KEY, fresh, 'NX');
    return Buffer.from((await this.redis.get(SECRET_KEY)) ?? fresh, 'base64');
  }

  /** Keeps a file for one person until `expires`; returns its id. */
  async put(file: Omit<StoredLinkFile, 'expires'>, expires: number, now: number): Promise<string> {
    const id = randomBytes(16).toString('base64url');
    const key = fileKey(id);
    await this.redis
      .multi()
      .hset(key, {
        person: String(file.person),
        filename: file.filename,
        mime: file.mime,
        expires: String(expires),
        data: file.bytes.toString('base64'),
      })
      .pexpire(key, Math.max(1, expires - now))
      .exec();
    return id;
  }

  async get(id: string): Promise<StoredLinkFile | undefined> {
    if (!FILE_ID_PATTERN.test(id)) return undefined;
    const h = await this.redis.hgetall(fileKey(id));
    if (!h.data || !h.filename) return undefined;
    return {
      person: Number(h.person),
      filename: h.filename,
      mime: h.mime ?? 'application/octet-stream',
      expires: Number(h.expires),
      bytes: Buffer.from(h.data, 'base64'),
    };
  }
}
