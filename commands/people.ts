/**
 * Admins manage people: /canbo (overview, or one unit's people with revoke and invite buttons)
 * and /moi (invite links for one unit, or a CSV of links for every branch).
 */
import { Composer, Input } from 'telegraf';
import type { UnitRoleKind } from '../src/domain/units.js';
import { calendarDate, formatVnDate } from '../src/domain/vn.js';
import { msg } from '../src/messages/index.js';
import { ROLE_WORDS } from '../src/messages/people.js';
import { personName } from '../src/services/organisation.js';
import type { BotContext } from '../src/telegram/context.js';
import { commandArgs, requireAdmin } from '../src/telegram/guards.js';
import { button, keyboard } from '../src/telegram/keyboards.js';

export const people = new Composer<BotContext>();

/** Role kinds in callback data, one letter each to stay inside 64 bytes. */
const KIND_LETTER: Record<UnitRoleKind, string> = { secretary: 's', deputy: 'd', leader: 'l' };
const LETTER_KIND: Record<string, UnitRoleKind> = { s: 'secretary', d: 'deputy', l: 'leader' };

const expiry = (ctx: BotContext, ms: number) => formatVnDate(calendarDate(ms, ctx.app.config.timezone));

people.command('canbo', async (ctx) => {
  if (!(await requireAdmin(ctx))) return;
  const code = commandArgs(ctx).split(/\s+/)[0] ?? '';
  if (!code) {
    const o = await ctx.app.org.overview();
    await ctx.reply(msg.people.overview(o.counts, o.branches, o.vacant), { parse_mode: 'HTML' });
    return;
  }
  await showUnit(ctx, code);
});

async function showUnit(ctx: BotContext, code: string): Promise<void> {
  const unit = await ctx.app.org.unit(code);
  if (!unit) {
    await ctx.reply(msg.units.unknownUnit(code));
    return;
  }
  const holders = await ctx.app.org.holdersAt(code);
  const text = msg.people.unitHolders(
    unit.name,
    unit.code,
    holders.map((h) => ({
      role: msg.units.roleName(h.kind),
      name: `${personName(h.person)} · id ${h.person.id}`,
      note: h.person.unreachable ? msg.people.unreachableNote : undefined,
    })),
  );
  const isBranch = unit.level === 'chi_bo' || unit.level === 'chi_bo_co_so';
  const inviteKinds: UnitRoleKind[] = isBranch ? ['secretary', 'deputy', 'leader'] : ['leader'];
  await ctx.reply(text, {
    parse_mode: 'HTML',
    ...keyboard([
      ...holders.map((h) => [
        button(
          msg.people.buttonRevoke(msg.units.roleName(h.kind), personName(h.person)),
          'pp',
          'rv',
          h.person.id,
          KIND_LETTER[h.kind],
          unit.code,
        ),
      ]),
      inviteKinds.map((k) => button(msg.people.buttonInvite(k), 'pp', 'inv', KIND_LETTER[k], unit.code)),
    ]),
  });
}

people.action(/^pp:rv:(\d+):([sdl]):(.+)$/, async (ctx) => {
  await ctx.answerCbQuery();
  if (!(await requireAdmin(ctx))) return;
  const [, id, letter, unitCode] = ctx.match;
  const kind = LETTER_KIND[letter ?? ''] ?? 'secretary';
  const person = await ctx.app.org.person(Number(id));
  const unit = await ctx.app.org.unit(unitCode ?? '');
  if (!person || !unit) {
    await ctx.reply(msg.people.unknownPerson(Number(id)));
    return;
  }
  await ctx.reply(msg.people.confirmRevoke(msg.units.roleName(kind), personName(person), unit.name), {
    ...keyboard([
      [
        button(msg.people.buttonConfirmRevoke, 'pp', 'rvy', person.id, KIND_LETTER[kind], unit.code),
        button(msg.common.buttonCancel, 'pp', 'no'),
      ],
    ]),
  });
});

people.action(/^pp:rvy:(\d+):([sdl]):(.+)$/, async (ctx) => {
  await ctx.answerCbQuery();
  if (!(await requireAdmin(ctx))) return;
  const [, id, letter, unitCode] = ctx.match;
  const kind = LETTER_KIND[letter ?? ''] ?? 'secretary';
  const r = await ctx.app.org.revoke(ctx.viewer, Number(id), { kind, unit: unitCode ?? '' });
  await ctx.editMessageText(r.text);
});

people.action('pp:no', async (ctx) => {
  await ctx.answerCbQuery();
  await ctx.editMessageText(msg.common.cancelled);
});

people.action(/^pp:inv:([sdl]):(.+)$/, async (ctx) => {
  await ctx.answerCbQuery();
  if (!(await requireAdmin(ctx))) return;
  const [, letter, unitCode] = ctx.match;
  await sendInvite(ctx, unitCode ?? '', LETTER_KIND[letter ?? ''] ?? 'secretary');
});

people.command('moi', async (ctx) => {
  if (!(await requireAdmin(ctx))) return;
  const [target = '', roleWord = ''] = commandArgs(ctx).split(/\s+/);
  const role = ROLE_WORDS[roleWord.toLowerCase()];
  if (!target || !role) {
    await ctx.reply(msg.people.inviteUsage);
    return;
  }
  if (['tatca', 'tat-ca', 'all'].includes(target.toLowerCase())) {
    const r = await ctx.app.org.createInvites(ctx.viewer, { allBranches: true, role, onlyVacant: true });
    if (!r.ok) {
      await ctx.reply(r.text);
      return;
    }
    await ctx.replyWithDocument(Input.fromBuffer(Buffer.from(r.csv, 'utf8'), `duong-dan-moi-${role}.csv`), {
      caption: msg.people.inviteFileCaption(r.rows.length, expiry(ctx, r.expiresAt)),
    });
    return;
  }
  await sendInvite(ctx, target, role);
});

async function sendInvite(ctx: BotContext, unitCode: string, role: UnitRoleKind): Promise<void> {
  const r = await ctx.app.org.createInvites(ctx.viewer, { unit: unitCode, role });
  if (!r.ok) {
    await ctx.reply(r.text);
    return;
  }
  const row = r.rows[0]!;
  await ctx.reply(
    msg.people.inviteOne(
      msg.units.roleName(role),
      row.unitName,
      ctx.app.org.inviteLink(row.code),
      expiry(ctx, r.expiresAt),
    ),
  );
}
