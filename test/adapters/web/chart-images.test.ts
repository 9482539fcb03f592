// `any` here is Slack's JSON (recorded calls) read in assertions; typing every shape would hide the wire format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartImageKey, createChartImageLinks, type ChartImageLinks } from '../../../src/adapters/web/chart-image-links.ts';
import type { EvidenceSeries } from '../../../src/domain/proposal.ts';
import { fetchedImages } from '../../fakes/slack/fake-slack-server.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { startSlackHarness, type SlackHarness } from '../slack/slack-harness.ts';
import { PlainClient, startDashboard, TOKEN, type DashboardHarness } from './dashboard-harness.ts';

const HOUR = 3_600_000;
const ONSET = Date.parse('2026-11-30T09:00:00Z');
const P95: EvidenceSeries = {
  kind: 'line',
  label: 'p95 latency of GET /api/orders/:id, per hour',
  unit: 'ms',
  bucket: 'hour',
  points: Array.from({ length: 48 }, (_, i) => {
    const at = ONSET - 36 * HOUR + i * HOUR;
    return { at: new Date(at).toISOString(), value: at >= ONSET ? 640 : 310 };
  }),
  mark: { at: new Date(ONSET).toISOString(), label: 'regression began 2026-11-30 09:00 UTC' },
};
const DAILY: EvidenceSeries = {
  kind: 'bars',
  label: 'occurrences per day',
  unit: 'errors',
  bucket: 'day',
  points: Array.from({ length: 14 }, (_, i) => ({
    at: new Date(Date.parse('2026-11-20T00:00:00Z') + i * 86_400_000).toISOString(),
    value: i * 2,
  })),
};
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('charts of the measure behind a proposal', () => {
  let slack: SlackHarness;
  let dash: DashboardHarness;
  let links: ChartImageLinks;
  let client: PlainClient;
  let publicUrl = 'http://127.0.0.1:9';
  beforeAll(async () => {
    slack = await startSlackHarness({
      surface: { chartImageUrl: (p) => (p.series ? links.url(p.id) : undefined), publicUrl: 'http://127.0.0.1:9' },
    });
    const key = chartImageKey([TOKEN]);
    dash = await startDashboard({ store: slack.store, chartImages: createChartImageLinks({ publicUrl: '', key }) });
    publicUrl = dash.url;
    links = createChartImageLinks({ publicUrl, key });
    client = new PlainClient(dash.url);
    await client.signIn(TOKEN);
  });
  afterAll(async () => {
    await dash.close();
    await slack.close();
  });

  it('draws the p95 series with the onset marked on the proposal page, its numbers in a table', async () => {
    const proposal = await slack.store.create(makeDraft({ series: P95 }), { actor: 'test' });
    const page = (await client.get(`/proposals/${proposal.id}`)).text;
    expect(page).toContain('<h2>Measured</h2>');
    expect(page).toMatch(/<svg class="chart line-chart"[^>]*aria-label="p95 latency of GET \/api\/orders\/:id, per hour"/);
    expect(page).toMatch(/<g class="marker">[\s\S]*<title>regression began 2026-11-30 09:00 UTC<\/title>/);
    expect(page).toContain('<td>2026-11-30T09:00Z</td>');
    const bugs = await slack.store.create(makeDraft({ type: 'bug_fix', series: DAILY }), { actor: 'test' });
    expect((await client.get(`/proposals/${bugs.id}`)).text).toMatch(/<svg class="chart bar-chart"[^>]*aria-label="occurrences per day"/);
  });

  it('serves the chart as a PNG at its signed URL, and 403 for a tampered, foreign or expired signature', async () => {
    const proposal = await slack.store.create(makeDraft({ series: P95 }), { actor: 'test' });
    const other = await slack.store.create(makeDraft({ series: DAILY }), { actor: 'test' });
    const url = links.url(proposal.id);
    expect(url.startsWith(`${publicUrl}/chart-images/${proposal.id}.png?exp=`)).toBe(true);
    const image = await fetch(url);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(PNG_MAGIC);
    expect(bytes.length).toBeGreaterThan(2000);

    const sig = new URL(url).searchParams.get('sig')!;
    const tampered = url.replace(`sig=${sig}`, `sig=${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`);
    const laterExpiry = url.replace(/exp=(\d+)/, (_m, exp: string) => `exp=${Number(exp) + 3600}`);
    const foreign = url.replace(`/${proposal.id}.png`, `/${other.id}.png`);
    const expired = links.url(proposal.id, new Date(Date.now() - 30 * 86_400_000));
    for (const refused of [tampered, laterExpiry, foreign, expired, url.replace(/&sig=.*$/, '')]) {
      const res = await fetch(refused);
      expect(res.status, refused).toBe(403);
      expect(res.headers.get('content-type')).not.toMatch(/image/);
    }
  });

  it('answers 404 for a validly signed link to a proposal without a chart', async () => {
    const plain = await slack.store.create(makeDraft(), { actor: 'test' });
    expect((await fetch(links.url(plain.id))).status).toBe(404);
  });

  it('shows the chart in Slack as an image block Slack can download from the signed URL', async () => {
    slack.slack.reset();
    const proposal = await slack.file({ series: P95 });
    const [post] = slack.slack.calls('chat.postMessage');
    expect(post!.response!.ok).toBe(true);
    const image = (post!.body.blocks as any[]).find((b) => b.type === 'image');
    expect(image).toMatchObject({
      alt_text: expect.stringContaining('p95 latency'),
      title: { text: expect.stringContaining('regression began') },
    });
    expect(image.image_url.startsWith(`${publicUrl}/chart-images/${proposal.id}.png?`)).toBe(true);
    expect(fetchedImages.find((f) => f.url === image.image_url)).toMatchObject({ status: 200, contentType: 'image/png' });
  });

  it('posts the message without its image when Slack cannot download it, rather than not at all', async () => {
    const saved = links;
    links = createChartImageLinks({ publicUrl: 'http://127.0.0.1:9', key: chartImageKey(['another']) });
    try {
      slack.slack.reset();
      const proposal = await slack.file({ series: P95, title: 'Posted without its picture' });
      const posts = slack.slack.calls('chat.postMessage');
      expect(posts.map((p) => p.response?.ok)).toEqual([false, true]);
      expect((posts[1]!.body.blocks as any[]).some((b) => b.type === 'image')).toBe(false);
      expect(await slack.store.get(proposal.id)).toBeTruthy();
    } finally {
      links = saved;
    }
  });
});
