/** An admin sends a CSV file: the unit tree is imported or updated, all or nothing. */
import { Composer } from 'telegraf';
import { splitMessage } from '../src/domain/text.js';
import { msg } from '../src/messages/index.js';
import type { BotContext } from '../src/telegram/context.js';
import { replyLong } from '../src/telegram/guards.js';

const MAX_BYTES = 10 * 1024 * 1024;

export const unitsImport = new Composer<BotContext>();

unitsImport.on('document', async (ctx, next) => {
  if (ctx.chat.type !== 'private') return next();
  const doc = ctx.message.document;
  const isCsv = /\.csv$/i.test(doc.file_name ?? '') || doc.mime_type === 'text/csv';
  if (!ctx.app.org.isAdmin(ctx.viewer)) {
    await ctx.reply(ctx.viewer.roles.length === 0 ? msg.units.noAccess : msg.people.fileNotForYou);
    return;
  }
  if (!isCsv) {
    await ctx.reply(msg.people.csvOnly);
    return;
  }
  if ((doc.file_size ?? 0) > MAX_BYTES) {
    await ctx.reply(msg.people.fileTooBig);
    return;
  }
  const link = await ctx.telegram.getFileLink(doc.file_id);
  const res = await fetch(link, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`file download failed: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const outcome = await ctx.app.org.importUnitsCsv(ctx.viewer, bytes);
  await replyLong(ctx, splitMessage(outcome.text));
});
