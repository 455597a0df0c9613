/** The member register service; see `service.ts`. */
export type { BadgeList, BadgeRow } from '../../domain/members/badgeList.js';
export { type MemberAction, memberActions } from './actions.js';
export { MemberChat, type MemberChatDeps } from './chat.js';
export type { AdmissionRow, DevelopmentReport, ProbationRow } from './development.js';
export type { ImportSummary } from './importing.js';
export type { BranchRegister, Transferred } from './register.js';
export { MemberService } from './service.js';
export type { Actor, MemberServiceDeps } from './types.js';
