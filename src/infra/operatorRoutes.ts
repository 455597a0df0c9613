/**
 * What operators reach over HTTP besides health: `/metrics` always, the queue page only with
 * ADMIN_UI_TOKEN. Wires the metrics' Redis-backed readings to their sources, and undoes it all
 * on stop, so the app adds one part rather than each piece.
 */
import type { Queue } from 'bullmq';
import { metricsRoute, type Route } from './httpServer.js';
import { metrics, type OutboxDepth } from './metrics.js';

export interface OperatorRouteOptions {
  /** ADMIN_UI_TOKEN; without it there is no queue page. */
  adminUiToken: string | undefined;
  /** Read when scraped. */
  outboxDepth: () => Promise<OutboxDepth>;
  /** Read when scraped. */
  unreachable: () => Promise<number>;
  /** The queues the queue page shows; made only when it is mounted, closed on stop. */
  queues: () => Promise<Queue[]>;
}

export async function operatorRoutes(
  opts: OperatorRouteOptions,
): Promise<{ routes: Route[]; stop(): Promise<void> }> {
  const unwatch = [metrics.watchOutboxDepth(opts.outboxDepth), metrics.watchUnreachable(opts.unreachable)];
  const routes: Route[] = [metricsRoute(metrics)];
  let queues: Queue[] = [];
  const stop = async () => {
    for (const u of unwatch) u();
    await Promise.all(queues.map((q) => q.close()));
  };
  if (opts.adminUiToken) {
    try {
      queues = await opts.queues();
      const { queueBoardRoute } = await import('./queueBoard.js');
      routes.push(await queueBoardRoute({ token: opts.adminUiToken, queues }));
    } catch (err) {
      await stop();
      throw err;
    }
  }
  return { routes, stop };
}
