import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../../logging.ts';
import type { ProposalStore } from '../../../ports/store.ts';
import { computeMetrics } from '../../../proposals/metrics.ts';
import type { ClickAuthorization } from '../security/click-authorization.ts';
import { renderHome, type ScheduleStatus } from '../views/home-view.ts';

export interface AppHomeDeps {
  store: ProposalStore;
  authorization: ClickAuthorization;
  scheduleStatus?: () => Promise<ScheduleStatus>;
  logger: Logger;
  /** Coalesces bursts of changes (a cycle filing twenty proposals) into one refresh. */
  refreshDelayMs?: number;
}

/** Users whose Home tab is kept fresh; the most recent ones, so the set stays small. */
const MAX_VIEWERS = 200;

/**
 * The App Home: metrics, what waits for this user (with buttons when they may decide), the last and
 * next scheduled runs. Published when a user opens it and re-published to recent viewers whenever a
 * proposal changes.
 */
export function createAppHome(deps: AppHomeDeps) {
  const viewers = new Map<string, WebClient>();
  let timer: NodeJS.Timeout | undefined;

  async function publish(client: WebClient, userId: string): Promise<void> {
    viewers.delete(userId);
    viewers.set(userId, client);
    if (viewers.size > MAX_VIEWERS) viewers.delete(viewers.keys().next().value as string);
    const [metrics, pending, canDecide, schedule] = await Promise.all([
      computeMetrics(deps.store, 5),
      deps.store.list({ status: 'pending', limit: 50, offset: 0 }),
      deps.authorization.mayApprove(userId).catch(() => false),
      deps.scheduleStatus?.().catch(() => undefined),
    ]);
    await client.views.publish({
      user_id: userId,
      view: renderHome({ metrics, pending: pending.items, canDecide, ...(schedule ? { schedule } : {}) }),
    });
  }

  return {
    publish,
    register(app: App): void {
      app.event('app_home_opened', async ({ event, client }) => {
        if (event.tab !== 'home') return;
        await publish(client, event.user).catch((error: unknown) =>
          deps.logger.warn({ err: error, user: event.user }, 'App Home publish failed'),
        );
      });
    },
    /** Something changed: refresh every recent viewer's Home soon, once for a burst of changes. */
    changed(): void {
      if (timer || viewers.size === 0) return;
      timer = setTimeout(() => {
        timer = undefined;
        // A snapshot: publish re-inserts each viewer (most recent last), which would extend a live iteration forever.
        for (const [userId, client] of [...viewers]) {
          publish(client, userId).catch((error: unknown) => deps.logger.warn({ err: error, user: userId }, 'App Home refresh failed'));
        }
      }, deps.refreshDelayMs ?? 1000);
      timer.unref();
    },
    stop(): void {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

export type AppHome = ReturnType<typeof createAppHome>;
