import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { isProposalId } from '../../domain/ids.ts';
import type { Logger } from '../../logging.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { TelemetryWarehouse } from '../../ports/warehouse.ts';
import type { Decisions } from '../../proposals/decisions.ts';
import { setActor } from '../http/request-context.ts';
import { createChartsDataSource } from './charts-data.ts';
import { chartsPage } from './charts-page.ts';
import { CHART_IMAGE_ROUTE, type ChartImageLinks } from './chart-image-links.ts';
import { renderChartPng } from './chart-png.ts';
import type { CodeHost } from './code-host-links.ts';
import { decisionRoute } from './decision-route.ts';
import { errorPage } from './error-page.ts';
import { flashFor } from './flash.ts';
import { ASSETS, type Viewer } from './layout.ts';
import { loginPage } from './login-page.ts';
import { pageHeaders, sendErrorPage, sendPage } from './page-response.ts';
import { proposalDetailPage, proposalGoneFragment, proposalLiveFragment, type ProposalLinks } from './proposal-detail-page.ts';
import { LIST_FRAGMENT, proposalListFragment, proposalListPage } from './proposal-list-page.ts';
import { listProposals, parseListView } from './proposal-listing.ts';
import { DEFAULT_RANKING, rankPending, type RankingSettings } from '../../proposals/ranking/pending-ranking.ts';
import { createSessionKeeper, LOGIN_COOKIE, readCookie, SESSION_COOKIE, type Session, type SessionKeeper } from './session.ts';
import { createSignInLimiter, type SignInLimiter } from './sign-in-limiter.ts';

export interface DashboardDeps {
  store: ProposalStore;
  decisions: Decisions;
  apiTokens: string[];
  sessionHours: number;
  logger: Logger;
  /** Telemetry for the latency and error charts; may be slow the first time, fail, or be null. */
  warehouse?: () => Promise<TelemetryWarehouse | null>;
  /** How long the charts page waits for telemetry before rendering without it (default 8 s). */
  telemetryTimeoutMs?: number;
  now?: () => Date;
  /** Failed sign-ins allowed per client and overall; the default is 10 and 100 per 15 minutes. */
  signInLimiter?: SignInLimiter;
  /** Where the API tokens come from, as resolveApiTokens reports it: the token file's path, or 'API_TOKENS'. */
  tokenSource?: string;
  /** How often the list and an executing proposal refresh themselves (default 5 s). */
  refreshSeconds?: number;
  /** From GIT_REMOTE: branches, commits and `file:line` link to the code host; absent → plain text. */
  codeHost?: CodeHost;
  /** The permalink of a proposal's Slack message (chat.getPermalink); null when there is none. */
  slackPermalink?: (proposalId: string) => Promise<string | null>;
  /** Checks the signed links Slack fetches chart images from; absent → no chart images are served. */
  chartImages?: Pick<ChartImageLinks, 'verify'>;
  /** How the list's "likely approved first" sort ranks pending proposals (RANKING_MIN_DECISIONS). */
  ranking?: RankingSettings;
}

/** A page never waits long on Slack for its link: without an answer in time it renders without one. */
const PERMALINK_WAIT_MS = 1500;

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** Client files, served by name from our folder and from node_modules (pages load nothing from elsewhere). */
const ASSET_FILES: Record<string, string> = {
  'dashboard.css': path.join(here, 'assets', 'dashboard.css'),
  'dashboard.js': path.join(here, 'assets', 'dashboard.js'),
  'favicon.svg': path.join(here, 'assets', 'favicon.svg'),
  'htmx.min.js': require.resolve('htmx.org/dist/htmx.min.js'),
  'diff2html.min.css': require.resolve('diff2html/bundles/css/diff2html.min.css'),
  'diff2html-ui-slim.min.js': require.resolve('diff2html/bundles/js/diff2html-ui-slim.min.js'),
};

/** Where a successful sign-in may send the browser: our own pages only, never another origin. */
const SAFE_NEXT = /^\/(proposals|charts)(\/[a-z0-9_-]*)?(\?[A-Za-z0-9_=&%.+-]*)?$/;

/**
 * Whether a browser form came from our own pages. Browsers send Origin (or at least Referer) with
 * every form post; a client that sends neither is not a browser acting for someone else, and the
 * form token still has to match.
 */
function fromOurOrigin(req: Request): boolean {
  if (req.get('sec-fetch-site') === 'cross-site') return false;
  const ours = `${req.protocol}://${req.get('host') ?? ''}`;
  const origin = req.get('origin');
  if (origin !== undefined) return origin === ours;
  const referer = req.get('referer');
  if (referer === undefined) return true;
  try {
    return new URL(referer).origin === ours;
  } catch {
    return false;
  }
}

function safeNext(value: unknown): string {
  return typeof value === 'string' && value.length <= 500 && SAFE_NEXT.test(value) ? value : '/proposals';
}

/** The session behind a request, set by `requireSession`. */
const sessions = new WeakMap<Request, Session>();

function viewerOf(req: Request, keeper: SessionKeeper): Viewer {
  const session = sessions.get(req);
  if (!session) throw new Error('requireSession is not mounted on this route');
  return { actor: session.actor, csrf: keeper.csrfToken(session) };
}

function sessionOf(req: Request): Session {
  const session = sessions.get(req);
  if (!session) throw new Error('requireSession is not mounted on this route');
  return session;
}

/**
 * The web dashboard: sign-in with an API token (a signed, HTTP-only session cookie), the proposals
 * list and detail pages with the same decisions as Slack and the API, and the charts page. One
 * router, mounted as a surface of the HTTP app; it answers only its own paths.
 */
export function createDashboard(deps: DashboardDeps): express.RequestHandler {
  const now = deps.now ?? (() => new Date());
  const refreshSeconds = deps.refreshSeconds ?? 5;
  const rank = () => rankPending(deps.store, deps.ranking ?? DEFAULT_RANKING);
  const keeper = createSessionKeeper(deps.apiTokens, deps.sessionHours);
  const charts = createChartsDataSource({
    store: deps.store,
    logger: deps.logger,
    ...(deps.warehouse ? { warehouse: deps.warehouse } : {}),
    ...(deps.telemetryTimeoutMs !== undefined ? { timeoutMs: deps.telemetryTimeoutMs } : {}),
  });
  const router = express.Router();
  const limiter = deps.signInLimiter ?? createSignInLimiter();

  async function linksOf(proposalId: string, withSlack: boolean): Promise<ProposalLinks> {
    const links: ProposalLinks = deps.codeHost ? { codeHost: deps.codeHost } : {};
    if (!withSlack || !deps.slackPermalink) return links;
    let timer: NodeJS.Timeout | undefined;
    const permalink = await Promise.race([
      deps.slackPermalink(proposalId).catch((error: unknown) => {
        deps.logger.info({ err: error, proposalId }, 'no Slack permalink for the dashboard');
        return null;
      }),
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), PERMALINK_WAIT_MS))),
    ]).finally(() => clearTimeout(timer));
    return permalink ? { ...links, slackMessage: permalink } : links;
  }
  const parser = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 20 });

  const form: RequestHandler = (req, res, next) => {
    // A form from another site never gets parsed; SameSite=Strict and the CSRF token are the main guards.
    if (!fromOurOrigin(req)) {
      sendPage(res, 403, errorPage({ title: 'Refused', message: 'This form did not come from the dashboard.' }));
      return;
    }
    parser(req, res, (error?: unknown) => {
      if (error) {
        const tooLarge = (error as { type?: unknown }).type === 'entity.too.large';
        sendPage(
          res,
          tooLarge ? 413 : 400,
          errorPage({
            title: 'Bad form',
            message: tooLarge ? 'The form is larger than the dashboard accepts.' : 'The form could not be read.',
          }),
        );
        return;
      }
      next();
    });
  };

  /** The sign-in page with a fresh form token, bound to a cookie that only our own pages can have set. */
  function sendLoginPage(res: Response, status: number, next: string, error?: string): void {
    const challenge = keeper.loginChallenge(readCookie(res.req.headers.cookie, LOGIN_COOKIE));
    if (challenge.fresh)
      res.cookie(LOGIN_COOKIE, challenge.cookieValue, {
        httpOnly: true,
        sameSite: 'strict',
        secure: res.req.secure,
        path: '/login',
        maxAge: 3600_000,
      });
    sendPage(
      res,
      status,
      loginPage({
        next,
        formToken: challenge.formToken,
        ...(deps.tokenSource ? { tokenSource: deps.tokenSource } : {}),
        ...(error ? { error } : {}),
      }),
    );
  }

  function signInRedirect(req: Request, res: Response): void {
    res.redirect(303, `/login?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
  }

  const requireSession: RequestHandler = (req, res, next) => {
    const session = keeper.verify(readCookie(req.headers.cookie, SESSION_COOKIE), now());
    if (!session) {
      if (req.method === 'GET' || req.method === 'HEAD') signInRedirect(req, res);
      else sendLoginPage(res, 401, '/proposals', 'Your session has ended; sign in again. Nothing was applied.');
      return;
    }
    sessions.set(req, session);
    setActor(res, session.actor);
    next();
  };

  /**
   * A fragment is read by htmx, not by the person: without a session it gets 401 (htmx swaps nothing)
   * and HX-Redirect, which sends the whole page to sign-in and back to where it was.
   */
  const requireFragmentSession: RequestHandler = (req, res, next) => {
    const session = keeper.verify(readCookie(req.headers.cookie, SESSION_COOKIE), now());
    if (!session) {
      let back = '/proposals';
      try {
        const current = new URL(req.get('hx-current-url') ?? '');
        back = safeNext(current.pathname + current.search);
      } catch {
        // No usable current URL: back to the list.
      }
      res.set('HX-Redirect', `/login?next=${encodeURIComponent(back)}`);
      res.status(401).type('text').send('Sign in again.');
      return;
    }
    sessions.set(req, session);
    setActor(res, session.actor);
    next();
  };

  const requireCsrf: RequestHandler = (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!keeper.checkCsrf(sessionOf(req), body.csrf)) {
      sendPage(
        res,
        403,
        errorPage({
          title: 'Form expired',
          message: 'The form has expired or did not come from this dashboard. Reload the page and try again; nothing was applied.',
          viewer: viewerOf(req, keeper),
        }),
      );
      return;
    }
    next();
  };

  router.get(`${ASSETS}/:name`, (req, res, next) => {
    const file = Object.hasOwn(ASSET_FILES, req.params.name) ? ASSET_FILES[req.params.name] : undefined;
    if (!file) {
      next();
      return;
    }
    res.set({ 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' });
    res.sendFile(file);
  });

  // Browsers ask for /favicon.ico whatever the page links; both get the same SVG.
  router.get('/favicon.ico', (_req, res) => {
    res.set({ 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' });
    res.type('image/svg+xml').sendFile(ASSET_FILES['favicon.svg']!);
  });

  // Public, like the sign-in page: Slack fetches these without a session, so the signature is the credential.
  router.get(`${CHART_IMAGE_ROUTE}/:file`, async (req, res, next) => {
    const id = /^(.+)\.png$/.exec(req.params.file as string)?.[1];
    if (!deps.chartImages || id === undefined) return next();
    try {
      if (!isProposalId(id) || !deps.chartImages.verify(id, req.query.exp, req.query.sig, now())) {
        res.status(403).type('text/plain').send('This chart link is not valid or has expired.');
        return;
      }
      const proposal = await deps.store.get(id);
      if (!proposal?.series) {
        res.status(404).type('text/plain').send('This proposal has no chart.');
        return;
      }
      res
        .set('cache-control', 'private, max-age=3600')
        .type('image/png')
        .send(await renderChartPng(proposal.series));
    } catch (error) {
      next(error);
    }
  });

  router.get('/', pageHeaders, (req, res) => {
    res.redirect(303, '/proposals');
  });

  router.get('/login', pageHeaders, (req, res) => {
    if (keeper.verify(readCookie(req.headers.cookie, SESSION_COOKIE), now())) {
      res.redirect(303, safeNext(req.query.next));
      return;
    }
    sendLoginPage(res, 200, safeNext(req.query.next));
  });

  router.post('/login', pageHeaders, form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const client = req.ip ?? 'unknown';
    const wait = limiter.retryAfterSeconds(client, now().getTime());
    if (wait > 0) {
      deps.logger.warn({ client }, 'dashboard sign-in refused: too many failed attempts');
      res.set('Retry-After', String(wait));
      sendLoginPage(res, 429, safeNext(body.next), `Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} minute(s).`);
      return;
    }
    if (!keeper.checkLoginChallenge(readCookie(req.headers.cookie, LOGIN_COOKIE), body.login)) {
      deps.logger.info('dashboard sign-in refused: no valid form token');
      sendLoginPage(res, 403, safeNext(body.next), 'The sign-in form has expired or did not come from this dashboard; try again.');
      return;
    }
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    const signedIn = token ? keeper.signIn(token, now()) : undefined;
    if (!signedIn) {
      limiter.recordFailure(client, now().getTime());
      deps.logger.info('dashboard sign-in refused');
      sendLoginPage(res, 401, safeNext(body.next), 'That token is not valid here.');
      return;
    }
    limiter.recordSuccess(client);
    setActor(res, signedIn.session.actor);
    res.cookie(SESSION_COOKIE, signedIn.cookieValue, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: deps.sessionHours * 3600_000,
    });
    res.redirect(303, safeNext(body.next));
  });

  router.post('/logout', pageHeaders, requireSession, form, requireCsrf, (req, res) => {
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
    res.redirect(303, '/login');
  });

  router.get('/proposals', pageHeaders, requireSession, async (req, res) => {
    const viewer = viewerOf(req, keeper);
    try {
      const view = parseListView(req.query as Record<string, unknown>);
      const listed = await listProposals(deps.store, view, rank);
      sendPage(res, 200, proposalListPage({ viewer, view, listed, refreshSeconds }));
    } catch (error) {
      sendErrorPage(res, error, deps.logger, viewer);
    }
  });

  router.get(LIST_FRAGMENT, pageHeaders, requireFragmentSession, async (req, res, next) => {
    try {
      const view = parseListView(req.query as Record<string, unknown>);
      sendPage(res, 200, proposalListFragment({ view, listed: await listProposals(deps.store, view, rank), refreshSeconds }));
    } catch (error) {
      // htmx leaves the list as it was on an error answer and tries again at the next tick.
      next(error);
    }
  });

  router.get(`${LIST_FRAGMENT}/:id`, pageHeaders, requireFragmentSession, async (req, res, next) => {
    try {
      const id = req.params.id as string;
      const proposal = isProposalId(id) ? await deps.store.get(id) : null;
      if (!proposal) {
        sendPage(res, 200, proposalGoneFragment());
        return;
      }
      sendPage(
        res,
        200,
        proposalLiveFragment({
          viewer: viewerOf(req, keeper),
          proposal,
          canExecute: deps.decisions.canExecute(),
          hasAgent: deps.decisions.hasAgent(),
          refreshSeconds,
          // The fragment refreshes every few seconds: it needs the code host's links, never a Slack call.
          links: await linksOf(proposal.id, false),
        }),
      );
    } catch (error) {
      next(error);
    }
  });

  router.get('/proposals/:id', pageHeaders, requireSession, async (req, res) => {
    const viewer = viewerOf(req, keeper);
    try {
      const id = req.params.id as string;
      const proposal = isProposalId(id) ? await deps.store.get(id) : null;
      if (!proposal) {
        sendPage(
          res,
          404,
          errorPage({
            title: 'Not found',
            message: 'There is no proposal with that id (decided proposals expire after the retention period).',
            viewer,
          }),
        );
        return;
      }
      const flash = flashFor(req.query.flash, proposal);
      sendPage(
        res,
        200,
        proposalDetailPage({
          viewer,
          proposal,
          canExecute: deps.decisions.canExecute(),
          hasAgent: deps.decisions.hasAgent(),
          refreshSeconds,
          ...(flash ? { flash } : {}),
          links: await linksOf(proposal.id, true),
          ...((outcome) => (outcome ? { outcome } : {}))((await deps.store.listOutcomes()).find((o) => o.proposalId === proposal.id)),
        }),
      );
    } catch (error) {
      sendErrorPage(res, error, deps.logger, viewer);
    }
  });

  router.post(
    '/proposals/:id/:action',
    pageHeaders,
    requireSession,
    form,
    requireCsrf,
    decisionRoute({
      decisions: deps.decisions,
      logger: deps.logger,
      actorOf: (req) => sessionOf(req).actor,
      viewerOf: (req) => viewerOf(req, keeper),
    }),
  );

  router.get('/charts', pageHeaders, requireSession, async (req, res) => {
    const viewer = viewerOf(req, keeper);
    try {
      sendPage(res, 200, chartsPage({ viewer, data: await charts.read(now()) }));
    } catch (error) {
      sendErrorPage(res, error, deps.logger, viewer);
    }
  });

  return router;
}
