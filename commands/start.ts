/**
 * /start [CODE] binds a person by invite (or joins this channel to them by a link code); /help
 * explains their commands; /huy cancels a dialog; /lienket and /kenh: people on two channels.
 */
import { say } from '../src/chat/reply.js';
import { type Router, session } from './router.js';

export function start(router: Router): void {
  router
    .command('start', (t, { args }) =>
      t.app.people.start(t.viewer, args, t.profile, {
        channel: t.channel,
        ...(t.zalo ? { zalo: t.zalo } : {}),
      }),
    )
    .command('lienket', async (t) => say(...(await t.app.people.linkCode(t.viewer))))
    .command('kenh', async (t, { args }) => say(...(await t.app.people.channel(t.viewer, args, t.channel))))
    .command('help', async (t) => say(...t.app.people.help(t.viewer, t.channel)), { groups: true })
    .command('huy', async (t) => say(...(await t.app.people.cancel(session(t)))));
}
