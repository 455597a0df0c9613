/**
 * Admins manage people: /canbo (overview, or one unit's people with revoke and invite buttons),
 * /moi (invite links for one unit, or a CSV of links for every branch), and a unit CSV sent as a
 * file (the unit tree imported or updated, all or nothing).
 */
import { say } from '../src/chat/reply.js';
import { peopleActions } from '../src/services/people/index.js';
import { type Router, session } from './router.js';

export function people(router: Router): void {
  router
    .command('canbo', async (t, { args }) => say(...(await t.app.people.people(t.viewer, args))))
    .command('moi', async (t, { args }) => say(...(await t.app.people.invite(session(t), args))))
    .action(peopleActions, (t, action) => t.app.people.act(session(t), action))
    .dialog('invite', async (t, input, state) =>
      input.type === 'text'
        ? say(...(await t.app.people.continueInvite(session(t), state, input.text)))
        : undefined,
    )
    .file(async (t, file) => say(...(await t.app.people.importUnits(t.viewer, file))));
}
