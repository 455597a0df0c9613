/**
 * /xuat: exports for leaders (their subtree) and admins (the root). The asker's scope is offered
 * as buttons, one per export (the congress rounds that concern it, the latest two months of
 * meetings, the latest directives); pressing one sends the workbook as a document, and beside the
 * congress workbook its printable PDF. `/xuat 09/2025` offers that month's meetings.
 *
 * Callback data: `xk:s:<unit>[:<YYYY-MM>]` a scope chosen, `xk:dh:<campaign>:<unit>` congress,
 * `xk:sh:<YYYY-MM>:<unit>` meetings of a month, `xk:vb:<id>` a directive.
 */
import { Composer, Input } from 'telegraf';
import { msg } from '../src/messages/index.js';
import type { ExportAction, ExportMenu } from '../src/services/exports/index.js';
import type { BotContext } from '../src/telegram/context.js';
import { commandArgs } from '../src/telegram/guards.js';
import { button, keyboard } from '../src/telegram/keyboards.js';

const m = msg.exports;

export const exportsCommands = new Composer<BotContext>();

/** The button's callback data for an export. */
function actionData(a: ExportAction): string[] {
  switch (a.kind) {
    case 'congress':
      return ['xk', 'dh', a.campaignId, a.unit];
    case 'meetings':
      return ['xk', 'sh', a.month, a.unit];
    case 'directive':
      return ['xk', 'vb', a.id];
  }
}

/** The export a button stands for, or undefined for data this module did not make. */
function parseAction(kind: string, args: string[]): ExportAction | undefined {
  const [a, b] = args;
  if (kind === 'dh' && a && b) return { kind: 'congress', campaignId: a, unit: b };
  if (kind === 'sh' && a && b) return { kind: 'meetings', month: a, unit: b };
  if (kind === 'vb' && a) return { kind: 'directive', id: a };
  return undefined;
}

async function showMenu(ctx: BotContext, menu: ExportMenu): Promise<void> {
  switch (menu.kind) {
    case 'refused':
      await ctx.reply(menu.text);
      return;
    case 'chooseScope':
      await ctx.reply(menu.text, {
        ...keyboard(
          menu.units.map((u) => [button(u.name, 'xk', 's', u.code, ...(menu.month ? [menu.month] : []))]),
        ),
      });
      return;
    case 'menu':
      if (menu.options.length === 0) {
        await ctx.reply(m.chat.nothing(menu.unit.name));
        return;
      }
      await ctx.reply(menu.text, {
        ...keyboard(menu.options.map((o) => [button(o.label, ...actionData(o.action))])),
      });
      return;
  }
}

exportsCommands.command('xuat', async (ctx) => {
  const arg = commandArgs(ctx).split(/\s+/)[0] ?? '';
  const menu = await ctx.app.exports.menu(ctx.viewer, arg === '' ? {} : { monthText: arg });
  await showMenu(ctx, menu);
});

exportsCommands.action(/^xk:s:([^:]+)(?::(\d{4}-\d{2}))?$/, async (ctx) => {
  await ctx.answerCbQuery();
  const [, unitCode = '', month] = ctx.match;
  const menu = await ctx.app.exports.menu(ctx.viewer, { unitCode, ...(month ? { monthText: month } : {}) });
  await showMenu(ctx, menu);
});

exportsCommands.action(/^xk:(dh|sh|vb):(.+)$/, async (ctx) => {
  const action = parseAction(ctx.match[1] ?? '', (ctx.match[2] ?? '').split(':'));
  if (!action) {
    await ctx.answerCbQuery(msg.common.buttonExpired);
    return;
  }
  await ctx.answerCbQuery(m.chat.preparing);
  await ctx.sendChatAction('upload_document');
  const r = await ctx.app.exports.run(ctx.viewer, action);
  if (!r.ok) {
    await ctx.reply(r.text);
    return;
  }
  for (const file of r.files) {
    await ctx.replyWithDocument(Input.fromBuffer(file.content, file.filename), { caption: file.caption });
  }
});
