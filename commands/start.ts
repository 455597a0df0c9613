/** /start [CODE] binds a person by invite; /help explains their commands; /huy cancels a dialog. */
import { say } from '../src/chat/reply.js';
import { type Router, session } from './router.js';

export function start(router: Router): void {
  router
    .command('start', (t, { args }) => t.app.people.start(t.viewer, args, t.profile))
    .command('help', async (t) => say(...t.app.people.help(t.viewer)), { groups: true })
    .command('huy', async (t) => say(...(await t.app.people.cancel(session(t)))));
}
