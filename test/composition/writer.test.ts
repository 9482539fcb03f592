import { afterEach, describe, expect, it } from 'vitest';
import { buildWriter } from '../../src/composition/writer.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/logging.ts';
import { findingOf, TEST_API_KEY } from '../adapters/llm/writer-harness.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/fake-anthropic-server.ts';

describe('the writer the app builds with an API key', () => {
  let fake: FakeAnthropic | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('drafts security findings from templates without a request to Claude, and everything else with Claude', async () => {
    fake = await startFakeAnthropic();
    const config = loadConfig({
      ANTHROPIC_API_KEY: TEST_API_KEY,
      ANTHROPIC_BASE_URL: fake.baseURL,
      LOG_LEVEL: 'silent',
      LLM_MAX_RETRIES: '0',
    });
    const { writer } = await buildWriter(config.llm, silentLogger(), async () => null);
    writer.beginCycle?.();
    const security = await writer.write(findingOf('security'));
    expect(security.writtenBy).toBe('template');
    expect(fake.requests).toHaveLength(0);
    await writer.write(findingOf('learning'));
    expect(fake.requests.length).toBeGreaterThan(0);
  });
});
