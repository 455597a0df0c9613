/** How fast a directive goes out and how often its status is redrawn. */

/** Recipients handed to the outbox per batch. */
export const FANOUT_BATCH = 50;
/** The fan-out waits while more than this many of the directive's messages are still queued. */
export const FANOUT_BACKLOG = FANOUT_BATCH / 2;
/** How often, at most, the admin's status message is edited. */
export const STATUS_EVERY_MS = 3_000;
/** How long after a cancel the status keeps following messages that were already in flight. */
export const LIVE_AFTER_CANCEL_MS = 10 * 60_000;
