/**
 * The branch congress round in chat: /lich (register or move the congress date) and /daihoi
 * (report the result by fill-in form or guided dialog; nothing is saved until «Xác nhận và lưu»)
 * for secretaries and deputies; /tiendo (progress, drilling down, chuẩn y) and /giahan (extend one
 * branch's deadline) for leaders and admins; /dotdaihoi (open a round step by step) for admins. Text goes to the report or the
 * round being opened while one is open; without one, a filled-in form pasted without the
 * command is taken too.
 */
import { say } from '../src/chat/reply.js';
import { congressActions } from '../src/services/congress/index.js';
import { type Router, session } from './router.js';

export function congress(router: Router): void {
  router
    .command('lich', async (t, { args }) => say(...(await t.app.congress.lich(session(t), args))))
    .command('daihoi', async (t, { body }) => say(...(await t.app.congress.daihoi(session(t), body))))
    .command('tiendo', async (t, { args }) => say(...(await t.app.congress.tiendo(t.viewer, args))))
    .command('giahan', async (t, { args }) => say((await t.app.congress.giahan(t.viewer, args)).text))
    .command('chuanbi', async (t, { args }) => say(...(await t.app.congress.chuanbi(session(t), args))))
    .command('phancong', async (t, { args }) => say(...(await t.app.congress.phancong(t.viewer, args))))
    .command('lichdaihoi', async (t) => say(...(await t.app.congress.lichdaihoi(t.viewer))))
    .command('chuany', async (t, { args }) => say(...(await t.app.congress.chuany(t.viewer, args))))
    .dialog('congressDecision', async (t, input, state) =>
      input.type === 'text'
        ? say(...(await t.app.congress.continueDecision(session(t), state, input.text)))
        : undefined,
    )
    .command('dotdaihoi', async (t) => say(...(await t.app.congress.openCampaignDialog(session(t)))))
    .action(congressActions, (t, action) => t.app.congress.act(session(t), action))
    .dialog('congress', async (t, input, state) =>
      input.type === 'text'
        ? say(...(await t.app.congress.continueReport(session(t), state, input.text)))
        : undefined,
    )
    .dialog('congressCampaign', async (t, input, state) =>
      input.type === 'text'
        ? say(...(await t.app.congress.continueCampaign(session(t), state, input.text)))
        : undefined,
    )
    .text(async (t, text) => {
      const replies = await t.app.congress.pastedForm(session(t), text);
      return replies ? say(...replies) : undefined;
    });
}
