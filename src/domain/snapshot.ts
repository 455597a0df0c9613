/**
 * The backup file format, version 1: gzip-compressed JSON lines.
 *
 * Line 1, the header: `{"format":"chibo-backup","version":1,"takenAt":"…","takenAtMs":…,
 * "keys":N,"types":{"hash":…},"redisVersion":"7.2.4"}`. Then one line per key:
 * `{"key":"cb:…","type":"hash","ttlMs":null,"value":…}` where `ttlMs` is what the key had
 * left when the snapshot was taken (null: no expiry) and `value` is, by type:
 * - string: a text;
 * - hash: [[field, value], …];
 * - list: [item, …] in order;
 * - set: [member, …];
 * - zset: [[member, score], …] by score (scores as text, so ±inf survive);
 * - dump: the DUMP payload, for any other type (restorable on the same or a newer Redis).
 * Every text above is a JSON string when it is valid UTF-8, else `{"b64":"…"}`, so binary
 * values (a directive's attached file) survive byte for byte.
 */
import { isUtf8 } from 'node:buffer';
import { z } from 'zod';

export const SNAPSHOT_FORMAT = 'chibo-backup';
export const SNAPSHOT_VERSION = 1;

/** Bytes as they were in Redis: text when they are UTF-8, base64 otherwise. */
export type EncodedBytes = string | { b64: string };

export const SNAPSHOT_TYPES = ['string', 'hash', 'list', 'set', 'zset', 'dump'] as const;
export type SnapshotType = (typeof SNAPSHOT_TYPES)[number];

export function encodeBytes(bytes: Buffer): EncodedBytes {
  return isUtf8(bytes) ? bytes.toString('utf8') : { b64: bytes.toString('base64') };
}

export function decodeBytes(value: EncodedBytes): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.b64, 'base64');
}

const bytesSchema: z.ZodType<EncodedBytes> = z.union([
  z.string(),
  z.object({ b64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64') }).strict(),
]);
const scoreSchema = z.string().regex(/^([-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|[-+]?inf)$/i, 'not a score');

export const snapshotEntrySchema = z.discriminatedUnion('type', [
  z.object({
    key: z.string().min(1),
    type: z.literal('string'),
    ttlMs: z.number().int().positive().nullable(),
    value: bytesSchema,
  }),
  z.object({
    key: z.string().min(1),
    type: z.literal('hash'),
    ttlMs: z.number().int().positive().nullable(),
    value: z.array(z.tuple([bytesSchema, bytesSchema])).min(1),
  }),
  z.object({
    key: z.string().min(1),
    type: z.literal('list'),
    ttlMs: z.number().int().positive().nullable(),
    value: z.array(bytesSchema).min(1),
  }),
  z.object({
    key: z.string().min(1),
    type: z.literal('set'),
    ttlMs: z.number().int().positive().nullable(),
    value: z.array(bytesSchema).min(1),
  }),
  z.object({
    key: z.string().min(1),
    type: z.literal('zset'),
    ttlMs: z.number().int().positive().nullable(),
    value: z.array(z.tuple([bytesSchema, scoreSchema])).min(1),
  }),
  z.object({
    key: z.string().min(1),
    type: z.literal('dump'),
    ttlMs: z.number().int().positive().nullable(),
    value: z.object({ b64: z.string() }).strict(),
  }),
]);
export type SnapshotEntry = z.infer<typeof snapshotEntrySchema>;

export const snapshotHeaderSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.number().int().positive(),
  takenAt: z.string(),
  takenAtMs: z.number().int().nonnegative(),
  keys: z.number().int().nonnegative(),
  types: z.partialRecord(z.enum(SNAPSHOT_TYPES), z.number().int().nonnegative()),
  redisVersion: z.string(),
});
export type SnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

/** Keys per type, for the header and for checking a restore. */
export function countTypes(
  entries: Iterable<Pick<SnapshotEntry, 'type'>>,
): Partial<Record<SnapshotType, number>> {
  const counts: Partial<Record<SnapshotType, number>> = {};
  for (const e of entries) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return counts;
}
