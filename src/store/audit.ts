/**
 * The audit log: who changed what, when, with the value before and after. One Redis stream,
 * `cb:audit`, appended inside the same MULTI as the change it records, so a change and its
 * audit entry land together or not at all.
 */
import type { ChainableCommander, Redis } from 'ioredis';

export const AUDIT_KEY = 'cb:audit';

export interface AuditEntry {
  /** Telegram user id of the actor, or "cli" / "system". */
  actor: string;
  /** What happened, e.g. "unit.import", "person.revoke", "congress.report". */
  action: string;
  /** What it happened to, e.g. a unit code or "campaign:abc/unit:CB01". */
  subject: string;
  before?: unknown;
  after?: unknown;
  /** UTC milliseconds. */
  at: number;
}

/** Queues an XADD on a MULTI or pipeline; the caller executes it with the rest of the change. */
export function auditInto(tx: ChainableCommander, entry: AuditEntry): void {
  tx.xadd(AUDIT_KEY, '*', 'e', JSON.stringify(entry));
}

/** Newest first; `subject` filters to one subject. */
export async function readAudit(
  redis: Redis,
  opts: { subject?: string; limit?: number } = {},
): Promise<AuditEntry[]> {
  const limit = opts.limit ?? 100;
  const out: AuditEntry[] = [];
  let end = '+';
  while (out.length < limit) {
    const batch = await redis.xrevrange(AUDIT_KEY, end, '-', 'COUNT', 500);
    if (batch.length === 0) break;
    for (const [, fields] of batch) {
      const entry = JSON.parse(fields[1] ?? '{}') as AuditEntry;
      if (!opts.subject || entry.subject === opts.subject) out.push(entry);
      if (out.length >= limit) break;
    }
    const lastId = batch[batch.length - 1]?.[0];
    if (!lastId || batch.length < 500) break;
    end = `(${lastId}`;
  }
  return out;
}
