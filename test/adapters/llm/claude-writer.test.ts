import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answerSchemaFor } from '../../../src/adapters/llm/anthropic/proposal-answer.ts';
import { SYSTEM_PROMPT } from '../../../src/adapters/llm/anthropic/prompt.ts';
import { DEFAULT_MODEL } from '../../../src/adapters/llm/anthropic/models.ts';
import { findingOf, startHarness, TEST_API_KEY, VALID_PATCH, validAnswer, type Harness } from './writer-harness.ts';

describe('the Claude proposal writer, through the real SDK against the fake Messages API', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('turns a valid submit_proposal call into a draft with the model text and records its tokens and cost', async () => {
    harness = await startHarness();
    const finding = findingOf('performance');
    harness.fake.enqueue({
      toolUse: validAnswer('performance'),
      usage: { input_tokens: 1200, output_tokens: 600, cache_creation_input_tokens: 900, cache_read_input_tokens: 0 },
    });

    const draft = await harness.writer.write(finding);

    expect(draft).toMatchObject({
      type: 'performance',
      title: 'Model title for performance',
      summary: 'Model summary: what was measured and why it matters.',
      implementationPlan: 'Model plan: step one, step two.',
      priority: finding.priority,
      fingerprint: finding.fingerprint,
      evidence: finding.evidence,
      writtenBy: DEFAULT_MODEL,
      source: 'performance-analyzer',
    });
    // $2 input, $10 output, $2.50 cache writes per million tokens (claude-sonnet-5-5).
    const cost = (1200 * 2 + 600 * 10 + 900 * 2.5) / 1e6;
    expect(harness.usages).toEqual([
      {
        fingerprint: finding.fingerprint,
        model: DEFAULT_MODEL,
        writtenBy: DEFAULT_MODEL,
        requests: 1,
        inputTokens: 1200,
        outputTokens: 600,
        cacheCreationInputTokens: 900,
        cacheReadInputTokens: 0,
        costUsd: cost,
      },
    ]);
    const [request] = harness.fake.requests;
    // SDK 1.x speaks API version 2026-10-21, which carries the key as a bearer token.
    expect(request!.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    expect(request!.apiKey).toBe(TEST_API_KEY);
    expect(request!.headers['anthropic-version']).toBe('2026-10-21');
    expect(request!.body.model).toBe('claude-sonnet-5-5');
    // The model gets one tool, which records text and acts on nothing; its schema is the zod schema's.
    expect(request!.body.tools).toHaveLength(1);
    const { $schema: _s, ...derived } = z.toJSONSchema(answerSchemaFor(finding)) as Record<string, unknown>;
    expect(request!.body.tools[0]).toMatchObject({ name: 'submit_proposal', input_schema: derived });
    expect(request!.body.tools[0].input_schema.additionalProperties).toBe(false);
    // Claude Sonnet 5.5 refuses a forced tool_choice, so the default model gets auto with a single tool.
    expect(request!.body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
  });

  it('forces the submit_proposal tool on a model that accepts a forced tool_choice', async () => {
    harness = await startHarness({ model: 'claude-sonnet-5' });
    harness.fake.enqueue({ toolUse: validAnswer('learning') });
    const draft = await harness.writer.write(findingOf('learning'));
    expect(draft.writtenBy).toBe('claude-sonnet-5');
    expect(harness.fake.requests[0]!.body.tool_choice).toEqual({ type: 'tool', name: 'submit_proposal', disable_parallel_tool_use: true });
  });

  it('retries once with the validation errors sent back as an error tool_result, then uses the corrected answer', async () => {
    harness = await startHarness();
    const { testPlan: _dropped, ...missingTestPlan } = validAnswer('performance', { title: 42 });
    harness.fake.enqueue({ toolUse: missingTestPlan }, { toolUse: validAnswer('performance', { title: 'Corrected title' }) });

    const draft = await harness.writer.write(findingOf('performance'));

    expect(draft.title).toBe('Corrected title');
    expect(harness.fake.requests).toHaveLength(2);
    const retry = harness.fake.requests[1]!.body.messages;
    expect(retry.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user']);
    const call = retry[1].content.find((b: any) => b.type === 'tool_use');
    const [result] = retry[2].content;
    expect(result).toMatchObject({ type: 'tool_result', tool_use_id: call.id, is_error: true });
    expect(result.content).toMatch(/title: Invalid input: expected string, received number/);
    expect(result.content).toMatch(/testPlan: Invalid input/);
    expect(harness.usages[0]).toMatchObject({ requests: 2, writtenBy: DEFAULT_MODEL });
  });

  it('asks again when the model answers in prose instead of calling the tool', async () => {
    harness = await startHarness();
    harness.fake.enqueue({ text: 'Here is my proposal: make it faster.' }, { toolUse: validAnswer('performance') });
    const draft = await harness.writer.write(findingOf('performance'));
    expect(draft.writtenBy).toBe(DEFAULT_MODEL);
    const retry = harness.fake.requests[1]!.body.messages;
    expect(retry[2].content).toEqual([{ type: 'text', text: expect.stringMatching(/no submit_proposal call/) }]);
  });

  it('falls back to the template writer, and says so, when the answer is invalid twice', async () => {
    harness = await startHarness();
    harness.fake.enqueue({ toolUse: { garbage: true } }, { toolUse: 'not even an object' });
    const finding = findingOf('bug_fix');

    const draft = await harness.writer.write(finding);

    expect(draft.writtenBy).toBe('template (fallback: answer invalid after one retry)');
    expect(draft.title).toBe(finding.title);
    expect(draft.fingerprint).toBe(finding.fingerprint);
    expect(harness.fake.requests).toHaveLength(2);
    expect(harness.usages[0]).toMatchObject({ requests: 2, fallbackReason: 'answer invalid after one retry', outputTokens: 800 });
  });

  it("rides out a 429 through the SDK's own retry, honoring retry-after", async () => {
    harness = await startHarness();
    harness.fake.enqueue(
      {
        error: { status: 429, type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' },
        headers: { 'retry-after': '0' },
      },
      { toolUse: validAnswer('learning') },
    );
    const draft = await harness.writer.write(findingOf('learning'));
    expect(draft.writtenBy).toBe(DEFAULT_MODEL);
    expect(harness.fake.requests).toHaveLength(2);
    expect(harness.usages[0]!.requests).toBe(1);
  });

  it('rides out a 529 overload, and falls back when the overload outlasts the retries', async () => {
    harness = await startHarness({ maxRetries: 2 });
    const overloaded = { error: { status: 529, type: 'overloaded_error', message: 'Overloaded' }, headers: { 'retry-after-ms': '5' } };
    harness.fake.enqueue(overloaded, { toolUse: validAnswer('learning') });
    expect((await harness.writer.write(findingOf('learning'))).writtenBy).toBe(DEFAULT_MODEL);
    expect(harness.fake.requests).toHaveLength(2);

    harness.fake.setResponder(() => overloaded);
    const draft = await harness.writer.write(findingOf('learning'));
    expect(draft.writtenBy).toBe('template (fallback: Anthropic API 529 overloaded_error)');
    // One first try and maxRetries retries, all by the SDK: no second retry loop around it.
    expect(harness.fake.requests).toHaveLength(2 + 3);
  });

  it('falls back when the API keeps answering 500', async () => {
    harness = await startHarness({ maxRetries: 1 });
    harness.fake.setResponder(() => ({
      error: { status: 500, type: 'api_error', message: 'Internal server error' },
      headers: { 'retry-after-ms': '5' },
    }));
    const draft = await harness.writer.write(findingOf('code_quality'));
    expect(draft.writtenBy).toBe('template (fallback: Anthropic API 500 api_error)');
    expect(harness.fake.requests).toHaveLength(2);
    expect(harness.usages[0]).toMatchObject({ requests: 1, inputTokens: 0, fallbackReason: 'Anthropic API 500 api_error' });
  });

  it('does not retry a rejected API key, and falls back', async () => {
    harness = await startHarness({}, { apiKey: 'sk-ant-the-right-one' });
    const draft = await harness.writer.write(findingOf('feature'));
    expect(draft.writtenBy).toBe('template (fallback: Anthropic API 401 authentication_error)');
    expect(harness.fake.requests).toHaveLength(1);
  });

  it('falls back when a request outlives its timeout', async () => {
    harness = await startHarness({ timeoutMs: 150, maxRetries: 0 });
    harness.fake.enqueue({ toolUse: validAnswer('learning'), delayMs: 3000 });
    const began = performance.now();
    const draft = await harness.writer.write(findingOf('learning'));
    expect(draft.writtenBy).toBe('template (fallback: the Anthropic API timed out)');
    expect(performance.now() - began).toBeLessThan(2000);
  });

  it('falls back without crashing when a proxy answers 200 with an HTML page', async () => {
    harness = await startHarness();
    harness.fake.enqueue({ raw: { status: 200, body: '<html><body>Gateway login</body></html>' } });
    const draft = await harness.writer.write(findingOf('learning'));
    expect(draft.writtenBy).toBe('template (fallback: the Anthropic API answered with something other than a message)');
  });

  it('marks the stable system prompt for caching, so the second request reads it from the cache', async () => {
    harness = await startHarness();
    harness.fake.setResponder(() => ({ toolUse: validAnswer('performance') }));
    await harness.writer.write(findingOf('performance'));
    await harness.writer.write(findingOf('performance'));
    const [first, second] = harness.fake.requests;
    expect(first!.body.system).toEqual([{ type: 'text', text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } }]);
    expect(second!.body.system).toEqual(first!.body.system);
    expect(second!.body.tools).toEqual(first!.body.tools);
    expect(harness.usages[0]!.cacheCreationInputTokens).toBeGreaterThan(0);
    expect(harness.usages[1]).toMatchObject({
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: harness.usages[0]!.cacheCreationInputTokens,
    });
  });

  it('keeps no more requests in flight than its concurrency limit', async () => {
    harness = await startHarness({ concurrency: 2 });
    harness.fake.setResponder(() => ({ toolUse: validAnswer('learning'), delayMs: 60 }));
    const drafts = await Promise.all(Array.from({ length: 8 }, () => harness!.writer.write(findingOf('learning'))));
    expect(drafts.every((d) => d.writtenBy === DEFAULT_MODEL)).toBe(true);
    expect(harness.fake.requests).toHaveLength(8);
    expect(harness.fake.maxInFlight).toBe(2);
  });

  it('drops fields the schema does not know, so an answer cannot set status, approval or routing', async () => {
    harness = await startHarness();
    const finding = findingOf('bug_fix');
    harness.fake.enqueue({
      toolUse: validAnswer('bug_fix', {
        status: 'approved',
        approved: true,
        autoExecute: true,
        priority: 'low',
        type: 'code_quality',
        category: 'docs',
        fingerprint: 'elsewhere',
        approvedPatchHash: 'abc',
      }),
    });
    const draft = await harness.writer.write(finding);
    expect(draft.writtenBy).toBe(DEFAULT_MODEL);
    for (const key of ['status', 'approved', 'autoExecute', 'approvedPatchHash']) expect(draft).not.toHaveProperty(key);
    expect(draft).toMatchObject({ type: 'bug_fix', priority: finding.priority, fingerprint: finding.fingerprint });
    expect(draft).not.toHaveProperty('category');
  });

  it('folds a feature specification and a bug report into the draft fields', async () => {
    harness = await startHarness();
    harness.fake.enqueue({ toolUse: validAnswer('feature') }, { toolUse: validAnswer('bug_fix') });
    const feature = await harness.writer.write(findingOf('feature'));
    expect(feature.summary).toContain('Problem: Accountants retype invoices by hand.');
    expect(feature.implementationPlan).toContain(
      'User stories:\n- As an accountant, I want to export invoices as CSV ("Can I export my invoices as CSV?")',
    );
    expect(feature.implementationPlan).toContain('Acceptance criteria:\n- Given invoices exist');
    const bug = await harness.writer.write(findingOf('bug_fix'));
    expect(bug.summary).toContain('Root-cause hypothesis: orderTotal reads cart.total before the cart is loaded.');
    expect(bug.testPlan).toContain("Failing test (test/checkout/total.test.ts):\nit('totals an empty cart'");
  });

  it('requires the specification of a feature: an answer without one gets the retry', async () => {
    harness = await startHarness();
    const { specification: _missing, ...withoutSpec } = validAnswer('feature');
    harness.fake.enqueue({ toolUse: withoutSpec }, { toolUse: validAnswer('feature') });
    await harness.writer.write(findingOf('feature'));
    expect(harness.fake.requests[1]!.body.messages[2].content[0].content).toMatch(/specification: Invalid input/);
  });

  it('keeps a well-formed patch for code it was shown, and sends a miscounted one back once', async () => {
    harness = await startHarness();
    const miscounted = VALID_PATCH.replace('@@ -1,4 +1,5 @@', '@@ -1,4 +1,7 @@');
    harness.fake.enqueue(
      { toolUse: validAnswer('code_quality', { patch: miscounted }) },
      { toolUse: validAnswer('code_quality', { patch: VALID_PATCH }) },
    );
    const draft = await harness.writer.write(findingOf('code_quality'));
    expect(draft.patch).toBe(VALID_PATCH);
    expect(harness.fake.requests[1]!.body.messages[2].content[0].content).toMatch(
      /patch: not a usable unified diff: file 1 hunk 1: header promises 4 old and 7 new lines, the body has 4 and 5/,
    );
  });

  it('carries changesTests to the draft when a patch says it changes tests, and tells the model when to set it', async () => {
    harness = await startHarness();
    const finding = findingOf('code_quality', { subject: { files: ['src/pricing/discount.ts', 'test/pricing/discount.test.ts'] } });
    const withTest = `${VALID_PATCH}${[
      '--- /dev/null',
      '+++ b/test/pricing/discount.test.ts',
      '@@ -0,0 +1,1 @@',
      "+it('applies code A', () => expect(applyDiscount(100, 'A')).toBe(90));",
      '',
    ].join('\n')}`;
    harness.fake.enqueue({ toolUse: validAnswer('code_quality', { patch: withTest, changesTests: true }) });

    const draft = await harness.writer.write(finding);

    expect(draft.patch).toBe(withTest);
    expect(draft.changesTests).toBe(true);
    const property = harness.fake.requests[0]!.body.tools[0].input_schema.properties.changesTests;
    expect(property).toMatchObject({ type: 'boolean' });
    expect(property.description).toMatch(/true only when the patch adds, edits or deletes test files/);
  });

  it('leaves changesTests out of the draft when it came without a patch, or false', async () => {
    harness = await startHarness();
    harness.fake.enqueue(
      { toolUse: validAnswer('code_quality', { changesTests: true }) },
      { toolUse: validAnswer('code_quality', { patch: VALID_PATCH, changesTests: false }) },
    );
    expect(await harness.writer.write(findingOf('code_quality'))).not.toHaveProperty('changesTests');
    expect(await harness.writer.write(findingOf('code_quality'))).not.toHaveProperty('changesTests');
  });

  it('drops a patch offered for a finding that does not point at code', async () => {
    harness = await startHarness();
    harness.fake.enqueue({ toolUse: validAnswer('feature', { patch: VALID_PATCH }) });
    const draft = await harness.writer.write(findingOf('feature'));
    expect(draft.writtenBy).toBe(DEFAULT_MODEL);
    expect(draft).not.toHaveProperty('patch');
    expect(harness.fake.requests[0]!.body.tools[0].input_schema.properties).not.toHaveProperty('patch');
  });

  it('strips zero-width and bidi control characters from what the model writes', async () => {
    harness = await startHarness();
    harness.fake.enqueue({
      toolUse: validAnswer('learning', { title: 'Ap\u200bprove\u202e refunds\u2066 faster\u{E0041}', summary: 'Fine\ufeff text.' }),
    });
    const draft = await harness.writer.write(findingOf('learning'));
    expect(draft.title).toBe('Approve refunds faster');
    expect(draft.summary).toBe('Fine text.');
  });

  it('reports a null cost for a model missing from the price table, rather than a wrong one', async () => {
    harness = await startHarness({ model: 'claude-future-9' });
    harness.fake.enqueue({ toolUse: validAnswer('learning') });
    harness.writer.beginCycle();
    expect((await harness.writer.write(findingOf('learning'))).writtenBy).toBe('claude-future-9');
    expect(harness.usages[0]!.costUsd).toBeNull();
    expect(harness.writer.cycleUsage()).toMatchObject({ costUsd: null, writtenByModel: 1, tokenBudget: null, budgetExhausted: false });
  });

  it('writes offline once the cycle token budget is spent, until the next cycle begins', async () => {
    harness = await startHarness({ cycleTokenBudget: 1000 });
    harness.fake.setResponder(() => ({
      toolUse: validAnswer('learning'),
      usage: { input_tokens: 500, output_tokens: 300, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    }));
    harness.writer.beginCycle();
    const written = [];
    for (let i = 0; i < 3; i += 1) written.push((await harness.writer.write(findingOf('learning'))).writtenBy);
    expect(written).toEqual([DEFAULT_MODEL, DEFAULT_MODEL, 'template (fallback: cycle token budget of 1000 tokens used up)']);
    expect(harness.fake.requests).toHaveLength(2);
    expect(harness.writer.cycleUsage()).toMatchObject({
      writtenByModel: 2,
      fallbacks: 1,
      fallbackReasons: { 'cycle token budget of 1000 tokens used up': 1 },
      requests: 2,
      totalTokens: 1600,
      costUsd: (2 * (500 * 2 + 300 * 10)) / 1e6,
      tokenBudget: 1000,
      budgetExhausted: true,
    });

    harness.writer.beginCycle();
    expect(harness.writer.cycleUsage()).toMatchObject({ writtenByModel: 0, totalTokens: 0, budgetExhausted: false });
    expect((await harness.writer.write(findingOf('learning'))).writtenBy).toBe(DEFAULT_MODEL);
  });
});
