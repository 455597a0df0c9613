/**
 * Reminders and summaries in chat.
 * - /tomtat (leaders, admins): the daily summary now, with its chart; `/tomtat tat_bieudo`,
 *   `/tomtat bat_bieudo` turn the chart of the daily summary off and on; `/tomtat gio 18:30`
 *   moves the leader's daily summary.
 * - /nhomlanhdao [MÃ] (admins, in a group; the one command answered in groups): the group
 *   receives the daily summary of the scope (the whole tree without a code); `/nhomlanhdao xoa`
 *   stops it.
 * - /lichgui (admins): upcoming runs, the last ones, queue health and unreachable people.
 */
import { say } from '../src/chat/reply.js';
import type { Router } from './router.js';

export function reminders(router: Router): void {
  router
    .command('tomtat', async (t, { args }) => say(...(await t.app.reminders.summaryCommand(t.viewer, args))))
    .command(
      'nhomlanhdao',
      async (t, { args }) =>
        say(
          ...(await t.app.reminders.groupCommand(
            t.viewer,
            { id: t.chat.id, isGroup: !t.chat.private },
            args,
          )),
        ),
      { groups: true },
    )
    .command('lichgui', async (t) => say((await t.app.reminders.adminOverview(t.viewer)).text));
}
