import Anthropic, { AuthenticationError, BadRequestError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/fake-anthropic-server.ts';

/** The fake is only worth its tests if it refuses what the real API refuses: checked through the real SDK. */
describe('the fake Anthropic Messages API', () => {
  let fake: FakeAnthropic;
  let client: Anthropic;
  const base = { model: 'claude-sonnet-5-5', max_tokens: 100, messages: [{ role: 'user' as const, content: 'hi' }] };

  beforeEach(async () => {
    fake = await startFakeAnthropic({ apiKey: 'sk-ant-right' });
    client = new Anthropic({ apiKey: 'sk-ant-right', baseURL: fake.baseURL, maxRetries: 0 });
  });
  afterEach(() => fake.close());

  it('answers in the wire format, with usage and the scripted tool call', async () => {
    fake.enqueue({ toolUse: { a: 1 } });
    const message = await client.messages.create({ ...base, tools: [{ name: 'submit_proposal', input_schema: { type: 'object' } }] });
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5-5',
      stop_reason: 'tool_use',
      content: [{ type: 'tool_use', name: 'submit_proposal', input: { a: 1 }, id: expect.stringMatching(/^toolu_/) }],
      usage: { input_tokens: expect.any(Number), output_tokens: 400, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('refuses what the API refuses, with its error body', async () => {
    const refused = async (params: any) => {
      const error = await client.messages.create(params).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      return (error as BadRequestError).error as any;
    };
    expect(await refused({ ...base, max_tokens: undefined })).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required (an integer ≥ 1)' },
      request_id: 'req_fake_error',
    });
    expect((await refused({ ...base, temperature: 0.2 })).error.message).toMatch(/temperature/);
    const tools = [{ name: 'submit_proposal', input_schema: { type: 'object' } }];
    expect((await refused({ ...base, tools, tool_choice: { type: 'tool', name: 'submit_proposal' } })).error.message).toMatch(
      /forced tool use is not supported with claude-sonnet-5-5/,
    );
    const toolTurn = { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'submit_proposal', input: {} }] };
    expect(
      (await refused({ ...base, tools, messages: [base.messages[0], toolTurn, { role: 'user', content: 'again' }] })).error.message,
    ).toMatch(/tool_use ids were found without tool_result/);
    expect(fake.requests).toHaveLength(4);
  });

  it('refuses a wrong API key with a 401', async () => {
    const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: fake.baseURL, maxRetries: 0 });
    await expect(wrong.messages.create(base)).rejects.toBeInstanceOf(AuthenticationError);
  });
});
