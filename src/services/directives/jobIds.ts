/**
 * Names that tie a directive to its BullMQ jobs and its outbox messages. Job ids are derived
 * from the directive id, so a double click, a restart or two instances never fan out twice:
 * - `dir-fanout-{id}` hands recipients to the outbox in batches, waiting while the directive's
 *   earlier batch is still queued there, and reads the cancel flag before every batch;
 * - `dir-reminder-{id}` (after `ackHours`) and `dir-leaders-{id}` (as long again) follow up;
 * - `dir-status-{id}-{slot}` re-renders the admin's status message at most once per slot.
 * Each message has a deterministic outbox id (`directive.{id}.{person}`), so a repeated batch
 * queues nothing new.
 */

/** The BullMQ queue of directive jobs (its keys start with `cb:bull:directives`). */
export const DIRECTIVE_QUEUE = 'directives';
export type DirectiveJobName = 'fanout' | 'reminder' | 'leaders' | 'status';
export interface DirectiveJobData {
  id: string;
}
/** The outbox `track` kinds of a directive's messages, counted separately. */
export const TRACK = { directive: 'directive', reminder: 'directive-reminder', leaders: 'directive-leaders' };

/** The job id of one step of one directive; `slot` only for status refreshes. */
export function directiveJobId(name: DirectiveJobName, id: string, slot?: number): string {
  return slot === undefined ? `dir-${name}-${id}` : `dir-${name}-${id}-${slot}`;
}
