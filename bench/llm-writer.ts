/**
 * What the Claude writer adds on top of the HTTP round trip, against the fake Messages API on loopback
 * (the model's own latency is not measured here; it is seconds, not milliseconds). Prints, in one run:
 * a bare fetch POST of the same size (baseline), the SDK call alone, the full write (prompt, SDK,
 * validation, draft), the prompt + validation work without HTTP, and proposals/s with a simulated
 * 50 ms model at concurrency 1 and 4.
 * Run: node --import tsx bench/llm-writer.ts [iterations]
 */
import Anthropic from '@anthropic-ai/sdk';
import { createClaudeWriter } from '../src/adapters/llm/anthropic/claude-writer.ts';
import { buildUserMessage, SYSTEM_PROMPT } from '../src/adapters/llm/anthropic/prompt.ts';
import { answerSchemaFor, submitProposalTool } from '../src/adapters/llm/anthropic/proposal-answer.ts';
import { createTemplateWriter } from '../src/adapters/llm/offline/template-writer.ts';
import { silentLogger } from '../src/logging.ts';
import { startFakeAnthropic } from '../test/fakes/anthropic/fake-anthropic-server.ts';
import { findingOf, validAnswer } from '../test/adapters/llm/writer-harness.ts';

const ITERATIONS = Number(process.argv[2] ?? 300);
const fake = await startFakeAnthropic();
fake.setResponder(() => ({ toolUse: validAnswer('bug_fix') }));
const finding = findingOf('bug_fix');
const writer = createClaudeWriter({
  apiKey: 'sk-ant-bench',
  baseURL: fake.baseURL,
  logger: silentLogger(),
  fallback: createTemplateWriter(),
  concurrency: 1,
});
const client = new Anthropic({ apiKey: 'sk-ant-bench', baseURL: fake.baseURL, maxRetries: 0 });
const params = {
  model: 'claude-sonnet-5-5',
  max_tokens: 8192,
  system: [{ type: 'text' as const, text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral' as const } }],
  tools: [submitProposalTool(finding)],
  tool_choice: { type: 'auto' as const },
  messages: [{ role: 'user' as const, content: buildUserMessage(finding) }],
};
const body = JSON.stringify(params);

async function timeEach(label: string, run: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 20; i += 1) await run(); // warm-up: connections, JIT
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  console.log(`${label.padEnd(50)} p50 ${at(0.5).toFixed(3).padStart(7)} ms   p99 ${at(0.99).toFixed(3).padStart(7)} ms`);
}

console.log(
  `${ITERATIONS} sequential calls each, Node ${process.version}; request body ${body.length} bytes, system prompt ${SYSTEM_PROMPT.length} chars (~${Math.round(SYSTEM_PROMPT.length / 4)} tokens)`,
);
await timeEach('baseline: bare fetch POST /v1/messages', async () => {
  const res = await fetch(`${fake.baseURL}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-ant-bench', 'anthropic-version': '2026-10-21' },
    body,
  });
  await res.json();
});
await timeEach('SDK messages.create', () => client.messages.create(params));
await timeEach('writer.write (prompt + SDK + validation + draft)', () => writer.write(finding));

const schema = answerSchemaFor(finding);
const answer = validAnswer('bug_fix');
const rounds = 5000;
const started = performance.now();
for (let i = 0; i < rounds; i += 1) {
  buildUserMessage(finding);
  submitProposalTool(finding);
  schema.parse(answer);
}
console.log(
  `${'prompt + tool schema + validation, no HTTP'.padEnd(50)} ${(((performance.now() - started) / rounds) * 1000).toFixed(1).padStart(7)} µs per proposal`,
);

for (const concurrency of [1, 4]) {
  fake.setResponder(() => ({ toolUse: validAnswer('bug_fix'), delayMs: 50 }));
  const parallel = createClaudeWriter({
    apiKey: 'sk-ant-bench',
    baseURL: fake.baseURL,
    logger: silentLogger(),
    fallback: createTemplateWriter(),
    concurrency,
  });
  const count = 40;
  const start = performance.now();
  await Promise.all(Array.from({ length: count }, () => parallel.write(findingOf('bug_fix'))));
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `${`model at 50 ms, concurrency ${concurrency}`.padEnd(50)} ${(count / seconds).toFixed(1).padStart(7)} proposals/s (max in flight ${fake.maxInFlight})`,
  );
}
await fake.close();
