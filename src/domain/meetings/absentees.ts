/**
 * Absent members are people on the branch's register, not free text: each name a secretary
 * types is matched to the register (accents, case and spacing aside; "Lê Văn C #12" names the
 * member by id when two share a name), and the confirmation card shows whom it matched. A
 * branch with no register yet keeps the names as typed.
 */
import { absenceNameKey } from './absence.js';
import type { AbsentPerson, FieldError, MeetingReport } from './report.js';

/** What matching needs of a member on the register. */
export interface RegisterEntry {
  id: number;
  fullName: string;
}

const ID_SUFFIX = /\s*(?:#|mã số\s*|ma so\s*)(\d{1,12})\s*$/iu;

/** One absent person matched to the register: the register's name and id, or the problem. */
function matchOne(
  person: AbsentPerson,
  field: 'absentWithReason' | 'absentWithoutReason',
  register: readonly RegisterEntry[],
): { ok: true; person: AbsentPerson } | { ok: false; error: FieldError } {
  const withId = ID_SUFFIX.exec(person.name);
  const name = withId ? person.name.slice(0, withId.index).trim() : person.name;
  const key = absenceNameKey(name);
  // An id given names the member whatever the spelling.
  const found = withId
    ? register.filter((m) => m.id === Number(withId[1]))
    : register.filter((m) => absenceNameKey(m.fullName) === key);
  const [only] = found;
  if (found.length === 1 && only) {
    const matched: AbsentPerson = { name: only.fullName, memberId: only.id };
    return { ok: true, person: person.reason ? { ...matched, reason: person.reason } : matched };
  }
  if (found.length === 0)
    return {
      ok: false,
      error: { field, problem: { code: 'absentNotOnRegister', field, name: person.name } },
    };
  return {
    ok: false,
    error: { field, problem: { code: 'absentAmbiguous', field, name, ids: found.map((m) => m.id) } },
  };
}

/**
 * The report with its absent people matched to the register, or every name that does not
 * match. An empty register leaves the report as it is.
 */
export function matchAbsentees(
  report: MeetingReport,
  register: readonly RegisterEntry[],
): { ok: true; report: MeetingReport } | { ok: false; errors: FieldError[] } {
  if (register.length === 0) return { ok: true, report };
  const errors: FieldError[] = [];
  const matched = (field: 'absentWithReason' | 'absentWithoutReason') => {
    const people: AbsentPerson[] = [];
    for (const p of report[field].people) {
      const r = matchOne(p, field, register);
      if (r.ok) people.push(r.person);
      else errors.push(r.error);
    }
    return { count: report[field].count, people };
  };
  const absentWithReason = matched('absentWithReason');
  const absentWithoutReason = matched('absentWithoutReason');
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, report: { ...report, absentWithReason, absentWithoutReason } };
}
