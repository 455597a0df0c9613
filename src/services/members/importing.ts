/**
 * Importing a member register file (office only): read, check every row against the unit tree,
 * then hand the rows to the store, which matches them to the register and writes all or nothing.
 */
import {
  type BranchLookup,
  readMemberCsv,
  unitCodesOf,
  validateMemberRows,
} from '../../domain/members/memberCsv.js';
import { type MemberOutcome, refuse } from '../../domain/members/refusal.js';
import { isBranch } from '../../domain/units.js';
import { adminOnly } from './access.js';
import { type Actor, actorId, type MemberServiceDeps, today } from './types.js';

export interface ImportSummary {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Members the file put in another branch than the register had. */
  moved: number;
}

/** Imports a member CSV (bytes as sent, or text), all or nothing; every bad row comes back by line. */
export async function importMembers(
  deps: MemberServiceDeps,
  actor: Actor,
  input: Uint8Array | string,
): Promise<MemberOutcome<ImportSummary>> {
  const refused = adminOnly(actor);
  if (refused) return refuse(refused);
  const read = readMemberCsv(input);
  if (!read.ok) return refuse({ reason: 'import_errors', errors: read.errors });
  const units = await deps.org.units.getMany(unitCodesOf(read.table));
  const branches: BranchLookup = (code) => {
    const unit = units.get(code);
    return !unit ? 'unknown' : isBranch(unit) ? 'branch' : 'not_branch';
  };
  const checked = validateMemberRows(read.table, { branches, today: today(deps) });
  if (!checked.ok) return refuse({ reason: 'import_errors', errors: checked.errors });
  const r = await deps.store.importMembers(checked.rows, { actor: actorId(actor), now: deps.clock.now() });
  if (!r.ok) return refuse({ reason: 'import_errors', errors: r.errors });
  return {
    ok: true,
    value: {
      rows: checked.rows.length,
      created: r.created.length,
      updated: r.updated.length,
      unchanged: r.unchanged,
      moved: r.moved.length,
    },
  };
}
