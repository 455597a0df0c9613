/** Who may compose, follow and stop directives: admins only. */
import { msg } from '../../messages/index.js';
import type { Organisation, Viewer } from '../organisation.js';

/** Why this person may not use the admin screens, or undefined for an admin. */
export function adminRefusal(org: Organisation, viewer: Viewer): string | undefined {
  if (org.isAdmin(viewer)) return undefined;
  return viewer.roles.length === 0 ? msg.units.noAccess : msg.units.adminOnly;
}
