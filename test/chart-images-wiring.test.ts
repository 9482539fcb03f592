// `any` here is Slack's JSON (recorded calls) read in assertions; typing every shape would hide the wire format.
/**
 * The composed service with PUBLIC_URL and Slack on: a full cycle over the bundled sample posts
 * proposals whose measured series Slack (the fake, which downloads image blocks as Slack does)
 * fetches as PNG from the service's own signed chart links, and each links to its dashboard page.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logging.ts';
import { startServer, type RunningServer } from '../src/main.ts';
import { fetchedImages, startFakeSlack, type FakeSlack } from './fakes/slack/fake-slack-server.ts';

const TOKEN = 'chart-wiring-api-token';

/** A port free right now, so PUBLIC_URL can name the service's own address before it starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('chart images through the composed service', () => {
  let slack: FakeSlack;
  let server: RunningServer;
  let dir: string;
  let publicUrl: string;
  const printed: string[] = [];
  beforeAll(async () => {
    slack = await startFakeSlack();
    dir = await mkdtemp(path.join(tmpdir(), 'il-chart-wiring-'));
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      PORT: String(port),
      DATA_DIR: dir,
      API_TOKENS: `ci:${TOKEN}`,
      PUBLIC_URL: publicUrl,
      SAMPLE_METRIC_ROWS: '20000',
      SAMPLE_INTERACTIONS: '3000',
      SLACK_BOT_TOKEN: 'xoxb-wiring',
      SLACK_SIGNING_SECRET: 'wiring-secret',
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL: 'CPROPOSALS',
      SLACK_APPROVERS: 'UAPPROVER',
      SLACK_APP_ID: slack.identity.appId,
      SLACK_TEAM_ID: slack.identity.teamId,
    });
    server = await startServer(config, silentLogger(), (line) => printed.push(line));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await slack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says on its start line where Slack links to', () => {
    expect(printed.find((l) => l.startsWith('http'))).toContain(`Slack links to the dashboard at ${publicUrl}`);
  });

  it('posts proposals with their chart as an image Slack downloaded from the signed link, and a dashboard button', async () => {
    const cycle = await fetch(`${server.url}/api/improvements/analyze`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'full', asOf: '2026-01-31T00:00:00Z' }),
    });
    expect(cycle.status).toBe(200);
    const report = await cycle.json();
    await slack.waitFor(() => slack.calls('chat.postMessage').filter((c) => c.response?.ok).length >= report.created.length, 30_000);
    const posted = slack.calls('chat.postMessage').filter((c) => c.response?.ok);
    const withImage = posted.filter((c) => (c.body.blocks as any[]).some((b) => b.type === 'image'));
    expect(withImage.length).toBeGreaterThan(0);
    for (const post of withImage) {
      const image = (post.body.blocks as any[]).find((b) => b.type === 'image');
      expect(image.image_url.startsWith(`${publicUrl}/chart-images/`)).toBe(true);
      expect(fetchedImages.find((f) => f.url === image.image_url)).toMatchObject({ status: 200, contentType: 'image/png' });
    }
    for (const post of posted) {
      const urls = (post.body.blocks as any[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: any) => e.url));
      expect(urls.some((u) => typeof u === 'string' && u.startsWith(`${publicUrl}/proposals/`))).toBe(true);
    }
    // Every message Slack refused for its image was sent again without it: nothing was lost.
    expect(slack.calls('chat.postMessage').filter((c) => !c.response?.ok)).toHaveLength(0);
  }, 90_000);
});
