/** Who an audience reaches right now, and what it is called. */
import {
  type Audience,
  type AudienceTarget,
  planRecipients,
  type Recipient,
} from '../../domain/directives.js';
import { isRoleWord } from '../../domain/personIdentity.js';
import { BRANCH_LEVELS, DEFAULT_BRANCH_KIND, type Unit } from '../../domain/units.js';
import { msg } from '../../messages/index.js';
import type { Person } from '../../store/people.js';
import type { Organisation } from '../organisation.js';

/**
 * "Nguyễn Văn A": the name for a salutation, without the @handle: the name the office recorded,
 * else the Telegram one.
 */
export function plainName(p: Pick<Person, 'firstName' | 'lastName' | 'fullName'> | undefined): string {
  return p?.fullName || [p?.firstName, p?.lastName].filter(Boolean).join(' ').trim();
}

/** The recorded title, never the bot's role word. */
function titleOf(p: Pick<Person, 'title'>): string | undefined {
  return p.title && !isRoleWord(p.title) ? p.title : undefined;
}

const isBranchUnit = (u: Pick<Unit, 'level'>) => BRANCH_LEVELS.includes(u.level);

/** Everyone the audience reaches right now, one recipient per person, in tree order. */
export async function recipientsFor(org: Organisation, audience: Audience): Promise<Recipient[]> {
  const { units, people } = org;
  if (audience.kind === 'leaders') {
    const leaders = await people.list({ role: 'leader' });
    const codes = [
      ...new Set(leaders.flatMap((p) => p.roles.flatMap((r) => (r.kind === 'leader' ? [r.unit] : [])))),
    ];
    const [found, ancestors] = await Promise.all([units.getMany(codes), units.ancestorsMany(codes)]);
    const path = (c: string) => [...(ancestors.get(c) ?? []), c].join('/');
    const targets: AudienceTarget[] = codes
      .sort((a, b) => (path(a) < path(b) ? -1 : path(a) > path(b) ? 1 : 0))
      .flatMap((code) => {
        const unit = found.get(code);
        if (!unit) return [];
        const holders = leaders.filter((p) => p.roles.some((r) => r.kind === 'leader' && r.unit === code));
        return [
          {
            unit: { code, name: unit.name },
            role: 'leader' as const,
            people: holders.map((p) => {
              const title = titleOf(p);
              return { id: p.id, name: plainName(p), ...(title ? { title } : {}) };
            }),
          },
        ];
      });
    return planRecipients(targets);
  }
  let branchCodes: string[];
  if (audience.kind === 'unit') {
    branchCodes = await units.branchesUnder(audience.unit);
  } else {
    const root = await units.root();
    branchCodes = root ? await units.branchesUnder(root.code) : [];
  }
  const found = await units.getMany(branchCodes);
  let branches = branchCodes.map((c) => found.get(c)).filter((u): u is Unit => u !== undefined);
  if (audience.kind === 'kind') {
    const wanted = new Set(audience.kinds);
    branches = branches.filter((u) => wanted.has(u.kind ?? DEFAULT_BRANCH_KIND));
  }
  return planRecipients(await branchTargets(org, branches));
}

/** Each branch's secretaries, or its deputies where it has no secretary (a deputy stands in). */
async function branchTargets(org: Organisation, branches: readonly Unit[]): Promise<AudienceTarget[]> {
  const { people } = org;
  const holders: { unit: Unit; role: 'secretary' | 'deputy'; ids: number[] }[] = [];
  for (let i = 0; i < branches.length; i += 200) {
    const chunk = branches.slice(i, i + 200);
    const found = await Promise.all(
      chunk.map(async (unit) => {
        const secretaries = await people.holdersOf(unit.code, 'secretary');
        if (secretaries.length > 0) return { unit, role: 'secretary' as const, ids: secretaries };
        return { unit, role: 'deputy' as const, ids: await people.holdersOf(unit.code, 'deputy') };
      }),
    );
    holders.push(...found.filter((h) => h.ids.length > 0));
  }
  const persons = await people.getMany([...new Set(holders.flatMap((h) => h.ids))]);
  const names = new Map(persons.map((p) => [p.id, plainName(p)]));
  return holders.map((h) => ({
    unit: { code: h.unit.code, name: h.unit.name },
    role: h.role,
    people: h.ids.map((id) => ({ id, name: names.get(id) ?? '' })),
  }));
}

/** What the audience is called ("bí thư các chi bộ thuộc Đảng bộ xã A"). */
export async function describeAudience(org: Organisation, audience: Audience): Promise<string> {
  const { audienceName } = msg.directives;
  if (audience.kind !== 'unit') return audienceName(audience);
  const unit = await org.unit(audience.unit);
  return audienceName(audience, unit ? { name: unit.name, isBranch: isBranchUnit(unit) } : undefined);
}

/** Committees an admin may pick as a unit audience: the root and the committees just below it. */
export async function unitChoices(org: Organisation, limit: number): Promise<Unit[]> {
  const root = await org.units.root();
  if (!root) return [];
  const children = await org.units.getMany(await org.units.children(root.code));
  const committees = [...children.values()].filter((u) => !isBranchUnit(u));
  return [root, ...committees].slice(0, limit);
}
