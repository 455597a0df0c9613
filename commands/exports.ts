/**
 * /xuat: exports for leaders (their subtree) and admins (the root). The asker's scope is offered
 * as buttons, one per export (the congress rounds that concern it, the latest two months of
 * meetings, the latest directives); pressing one sends the workbook as a document, and beside the
 * congress workbook its printable PDF. `/xuat 09/2025` offers that month's meetings. The buttons'
 * values are the export service's codec (`src/services/exports/actions.ts`).
 */
import { say } from '../src/chat/reply.js';
import { exportActions } from '../src/services/exports/index.js';
import type { Router } from './router.js';

export function exports(router: Router): void {
  router
    .command('xuat', async (t, { args }) => say(...(await t.app.exports.start(t.viewer, args))))
    .action(exportActions, (t, action) => t.app.exports.press(t.viewer, action));
}
