/**
 * Reads a request's parameters the three ways Telegram accepts them (query string, JSON,
 * urlencoded or multipart form) into one accessor. In forms every value is a string and
 * objects such as `reply_markup` arrive JSON-encoded, so the accessors coerce on read.
 */
import type http from 'node:http';
import busboy from 'busboy';
import { badRequest } from './apiError.js';

/** A file part of a multipart request. */
export interface UploadedFile {
  fileName: string;
  mimeType: string | undefined;
  content: Buffer;
}

/** Telegram lets bots upload up to 50 MB. */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

/** Typed, coercing access to one call's parameters. */
export class RequestParams {
  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly files: ReadonlyMap<string, UploadedFile> = new Map(),
  ) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined || this.files.has(name);
  }

  /** A string value; numbers and booleans are given as their text. */
  string(name: string): string | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw badRequest(`parameter "${name}" must be a string`);
  }

  /** An integer; answers 400 "<name> is empty" when required and missing. */
  int(name: string): number | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n)) throw badRequest(`invalid ${name} specified`);
    return n;
  }

  requireInt(name: string): number {
    const n = this.int(name);
    if (n === undefined) throw badRequest(`${name} is empty`);
    return n;
  }

  bool(name: string): boolean {
    const v = this.raw[name];
    return v === true || v === 'true' || v === '1' || v === 1;
  }

  /** An object or array value, JSON-decoded when it came as a string. */
  json(name: string): unknown {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      throw badRequest(`can't parse ${name} JSON object`);
    }
  }

  /** An uploaded file under this name, or one referenced as `attach://<part>`. */
  upload(name: string): UploadedFile | undefined {
    const direct = this.files.get(name);
    if (direct) return direct;
    const ref = this.raw[name];
    if (typeof ref === 'string' && ref.startsWith('attach://')) return this.files.get(ref.slice(9));
    return undefined;
  }

  /** Every non-file value, as received. */
  values(): Record<string, unknown> {
    return { ...this.raw };
  }

  /** The parameters for the call log: values as sent, files as name and size only. */
  toLog(): Record<string, unknown> {
    const out: Record<string, unknown> = { ...this.raw };
    for (const [name, f] of this.files) out[name] = { file_name: f.fileName, size: f.content.length };
    return out;
  }
}

/** Parses the query string and body of a request. Rejects malformed bodies with a 400. */
export async function readRequestParams(req: http.IncomingMessage, url: URL): Promise<RequestParams> {
  const values: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (req.method === 'GET' || req.method === 'HEAD') return new RequestParams(values);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const { fields, files } = await readMultipart(req);
    return new RequestParams({ ...values, ...fields }, files);
  }
  const body = await readBody(req);
  if (body.length === 0) return new RequestParams(values);
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return new RequestParams({
      ...values,
      ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))),
    });
  }
  // Telegram reads JSON whatever the declared type, as long as it parses.
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest("can't parse JSON request body");
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('request body must be a JSON object');
  }
  return new RequestParams({ ...values, ...(parsed as Record<string, unknown>) });
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw badRequest('request entity too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function readMultipart(
  req: http.IncomingMessage,
): Promise<{ fields: Record<string, string>; files: Map<string, UploadedFile> }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files = new Map<string, UploadedFile>();
    const pending: Promise<void>[] = [];
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: MAX_BODY_BYTES, fieldSize: 10 * 1024 * 1024 },
      });
    } catch {
      reject(badRequest("can't parse multipart/form-data body"));
      return;
    }
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      pending.push(
        new Promise<void>((done, fail) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('limit', () => fail(badRequest('file is too big')));
          stream.on('error', fail);
          stream.on('end', () => {
            files.set(name, {
              fileName: info.filename || name,
              mimeType: info.mimeType || undefined,
              content: Buffer.concat(chunks),
            });
            done();
          });
        }),
      );
    });
    parser.on('error', () => reject(badRequest("can't parse multipart/form-data body")));
    parser.on('close', () => {
      Promise.all(pending).then(() => resolve({ fields, files }), reject);
    });
    req.pipe(parser);
  });
}
