/**
 * The scripted history of the demo repository: one entry per commit, applied in order. Each commit
 * copies its folder under `repo-history/` over the working tree (the files it adds or changes, in
 * full), so `git show` of a commit is exactly what its folder holds. Dates are fixed so that the same
 * history always gives the same commit ids, and so that the commits line up with the sample
 * telemetry: the commit that introduced a planted problem is dated when the problem starts in the
 * sample (see planted.ts).
 */

export interface DemoAuthor {
  name: string;
  email: string;
}

export interface DemoCommit {
  /** Folder under src/demo/repo-history/ holding the files this commit writes. */
  folder: string;
  /** ISO time, UTC; used as both author and committer date. */
  date: string;
  author: DemoAuthor;
  subject: string;
  body?: string;
}

export const DEMO_AUTHORS = {
  dana: { name: 'Dana Whitfield', email: 'dana@demo-shop.example' },
  sam: { name: 'Sam Okafor', email: 'sam@demo-shop.example' },
  priya: { name: 'Priya Raman', email: 'priya@demo-shop.example' },
} as const satisfies Record<string, DemoAuthor>;

const { dana, sam, priya } = DEMO_AUTHORS;

export const DEMO_COMMITS: readonly DemoCommit[] = [
  {
    folder: '01-start-service',
    date: '2025-12-29T10:00:00Z',
    author: dana,
    subject: 'Start the shop service: router, health check and products',
  },
  { folder: '02-orders-api', date: '2025-12-30T11:30:00Z', author: sam, subject: 'Add the orders API' },
  {
    folder: '03-report-export',
    date: '2025-12-31T15:00:00Z',
    author: priya,
    subject: 'Add the orders report export',
    body: 'Finance asked for the orders of a period with customer names and emails.',
  },
  {
    folder: '04-checkout',
    date: '2026-01-01T09:00:00Z',
    author: sam,
    subject: 'Add checkout with a payment provider timeout',
    body: 'Give up on a charge after 3 seconds instead of holding the request open.',
  },
  { folder: '05-login', date: '2026-01-02T13:00:00Z', author: dana, subject: 'Add magic-link login and the current-user endpoint' },
  {
    folder: '06-validate-quantities',
    date: '2026-01-04T10:15:00Z',
    author: sam,
    subject: 'Validate line item quantities when totalling orders',
    body: 'Quantities are whole units; refuse anything else instead of rounding it away.',
  },
  { folder: '07-product-search', date: '2026-01-07T16:00:00Z', author: priya, subject: 'Add product search' },
  {
    folder: '08-normalize-email',
    date: '2026-01-10T14:20:00Z',
    author: dana,
    subject: 'Look up users by normalized email',
    body: 'People type their address in any case; compare it lower-cased.',
  },
  { folder: '09-refunds', date: '2026-01-13T11:00:00Z', author: sam, subject: 'Add self-service refunds within 30 days' },
  { folder: '10-discounts', date: '2026-01-16T15:45:00Z', author: priya, subject: 'Apply plan, coupon and volume discounts at checkout' },
  {
    folder: '11-order-history',
    date: '2026-01-21T09:00:00Z',
    author: sam,
    subject: 'Include order history in order details',
    body: 'Support wants to see when an order was paid and shipped without opening the admin.',
  },
  { folder: '12-readme', date: '2026-01-23T10:30:00Z', author: dana, subject: 'Document the routes in the README' },
  {
    folder: '13-csv-export',
    date: '2026-01-25T09:30:00Z',
    author: priya,
    subject: 'Stream CSV exports with a fixed column order',
    body: 'Quote fields properly and add the coupon column.',
  },
  { folder: '14-health-test', date: '2026-01-28T14:00:00Z', author: dana, subject: 'Test the health check' },
];

/** The commit written from `folder`; throws on a name that is not in the history (a typo in planted.ts). */
export function demoCommit(folder: string): DemoCommit {
  const commit = DEMO_COMMITS.find((candidate) => candidate.folder === folder);
  if (!commit) throw new Error(`No demo commit from folder ${folder}`);
  return commit;
}
