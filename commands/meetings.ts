/**
 * Monthly branch meetings in chat: /sinhhoat (report by form or guided dialog, saved on
 * «Xác nhận»), /sinhhoat_tiendo [MM/YYYY] (compliance of the person's scope) and
 * /caidat_sinhhoat (the meeting calendar, admins). Text goes to the meeting dialog while it is
 * open; without one, a filled-in meeting form pasted without the command is taken too.
 */
import { say } from '../src/chat/reply.js';
import { meetingActions } from '../src/services/meetings/index.js';
import { type Router, session } from './router.js';

export function meetings(router: Router): void {
  router
    .command('sinhhoat', async (t, { body }) => say(...(await t.app.meetings.start(session(t), body))))
    .command('sinhhoat_tiendo', async (t, { args }) =>
      say(...(await t.app.meetings.progress(t.viewer, args))),
    )
    .command('caidat_sinhhoat', async (t, { args }) =>
      say((await t.app.meetings.configure(t.viewer, args)).text),
    )
    .action(meetingActions, (t, action) => t.app.meetings.act(session(t), action))
    .dialog('meetings', async (t, input, state) =>
      input.type === 'text'
        ? say(...(await t.app.meetings.continueReport(session(t), state, input.text)))
        : undefined,
    )
    .text(async (t, text) => {
      const replies = await t.app.meetings.pastedForm(session(t), text);
      return replies ? say(...replies) : undefined;
    });
}
