/** What pressing a button under a /xuat message does: another scope's menu, or the files. */
import { type Outcome, type Reply, reply, say } from '../../chat/reply.js';
import { msg } from '../../messages/index.js';
import type { Viewer } from '../organisation.js';
import type { ExportPress } from './actions.js';
import { exportMenu, menuReply } from './menu.js';
import { runExport } from './run.js';
import type { ExportFile, ExportServiceDeps } from './types.js';

const m = msg.exports;

/**
 * A scope chosen gives that scope's menu; an export button gives its files as documents, with
 * «Đang lập tệp…» on the button. The menu stays, so the person can press another export.
 */
export async function press(deps: ExportServiceDeps, viewer: Viewer, action: ExportPress): Promise<Outcome> {
  if (action.kind === 'scope') {
    const menu = await exportMenu(deps, viewer, {
      unitCode: action.unit,
      ...(action.month ? { monthText: action.month } : {}),
    });
    return say(menuReply(menu));
  }
  const made = await runExport(deps, viewer, action);
  return { toast: m.chat.preparing, replies: made.ok ? made.files.map(asDocument) : [reply(made.text)] };
}

/** A file as a document of its own, captioned. */
function asDocument(file: ExportFile): Reply {
  return { text: '', document: { filename: file.filename, bytes: file.content, caption: file.caption } };
}
