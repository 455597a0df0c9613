/**
 * Directives in chat.
 * - /thongbao (admins): a guided dialog — title, document number, text, an optional file or
 *   photo, the audience by buttons, an optional action deadline and the reminder delay — then a
 *   preview of exactly what recipients will see. Nothing is sent before «Xác nhận và gửi»; that
 *   message then becomes the live status (edited in place by the directive jobs) with «Dừng gửi».
 *   The answers live in the `directives` dialog, so it survives a restart; «Hủy» or /huy stops it.
 * - «Đã nhận» under a directive records the acknowledgement (first press wins) and shows its time.
 * - /thongbao_tinhtrang [SỐ] (admins): the latest directives, or one directive in full.
 * - /vanban: the directives addressed to the asker, with «Đã nhận» for those not acknowledged.
 *
 * The buttons' values are the `dr` codec's (`src/services/directives/actions.ts`).
 */
import { say } from '../src/chat/reply.js';
import { directiveActions } from '../src/services/directives/index.js';
import { type Router, session } from './router.js';

export function directives(router: Router): void {
  router
    .command('thongbao', async (t) => say(...(await t.app.directives.compose(session(t)))))
    .command('thongbao_tinhtrang', async (t, { args }) =>
      say(...(await t.app.directives.statusOf(t.viewer, args))),
    )
    .command('vanban', async (t) => say(...(await t.app.directives.inboxList(t.viewer))))
    .action(directiveActions, (t, action) => t.app.directives.act(session(t), action, t.pressed))
    // A file sent while composing is the directive's attachment (asked for or not), never a unit import.
    .dialog('directives', async (t, input, state) =>
      say(...(await t.app.directives.continueCompose(session(t), state, input))),
    );
}
