/**
 * Files handed out as links (Zalo takes no uploads): a workbook, a PDF or a chart kept for the
 * time its link is valid, for the one person it was made for.
 *
 * Keys:
 *   cb:filelink:{id}         hash    person, filename, mime, expires (UTC ms), blob (sha256);
 *                                    expires with the link
 *   cb:filelink:blob:{sha}   string  the bytes, once however many people get a link to them (a
 *                                    directive's PDF to 300 people is kept once); lives as long
 *                                    as the longest link to it
 *   cb:secret:filelinks      string  the signing key, made once and shared by every instance
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const fileKey = (id: string) => `cb:filelink:${id}`;
const blobKey = (sha: string) => `cb:filelink:blob:${sha}`;
const SECRET_KEY = 'cb:secret:filelinks';

// KEYS: blob. ARGV: bytes, ttl ms. Keeps the bytes once, for at least ttl.
const KEEP_BLOB = `
local left = redis.call('PTTL', KEYS[1])
if left == -2 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
elseif left >= 0 and left < tonumber(ARGV[2]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1`;
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
    const sha = createHash('sha256').update(file.bytes).digest('hex');
    const ttl = Math.max(1, expires - now);
    await this.redis
      .multi()
      .eval(KEEP_BLOB, 1, blobKey(sha), file.bytes, ttl)
      .hset(key, {
        person: String(file.person),
        filename: file.filename,
        mime: file.mime,
        expires: String(expires),
        blob: sha,
      })
      .pexpire(key, ttl)
      .exec();
    return id;
  }

  async get(id: string): Promise<StoredLinkFile | undefined> {
    if (!FILE_ID_PATTERN.test(id)) return undefined;
    const h = await this.redis.hgetall(fileKey(id));
    if (!h.blob || !/^[0-9a-f]{64}$/.test(h.blob) || !h.filename) return undefined;
    const bytes = await this.redis.getBuffer(blobKey(h.blob));
    if (!bytes) return undefined;
    return {
      person: Number(h.person),
      filename: h.filename,
      mime: h.mime ?? 'application/octet-stream',
      expires: Number(h.expires),
      bytes,
    };
  }
}
