/**
 * The member register in chat: /dangvien (a branch's list; kết nạp, chuyển chính thức, chuyển
 * sinh hoạt, closing a membership, history), /huyhieu [DD/MM/YYYY] (Huy hiệu Đảng due in the
 * person's scope), /phattrien [YYYY] (new members against targets, chuyển chính thức due), and
 * a member CSV sent by an admin (imported all or nothing). Members are personal data: none of
 * this answers in a group (the router's default).
 */
import { say } from '../src/chat/reply.js';
import { memberActions } from '../src/services/members/index.js';
import { type Router, session } from './router.js';

export function members(router: Router): void {
  router
    .command('dangvien', async (t, { args, body }) =>
      say(...(await t.app.memberChat.command(session(t), args, body))),
    )
    .command('huyhieu', async (t, { args }) => say(...(await t.app.memberChat.badges(t.viewer, args))))
    .command('phattrien', async (t, { args }) => say(...(await t.app.memberChat.development(t.viewer, args))))
    .action(memberActions, (t, action) => t.app.memberChat.act(session(t), action))
    .dialog('members', async (t, input, state) =>
      input.type === 'text'
        ? say(...(await t.app.memberChat.continueDialog(session(t), state, input.text)))
        : undefined,
    )
    .file(async (t, file) => {
      const replies = await t.app.memberChat.importFile(t.viewer, file);
      return replies ? say(...replies) : undefined;
    });
}
