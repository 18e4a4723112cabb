import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { tool } from 'ai';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { createGenerator } from '../../src/suggest/index.js';
import { createLlmGenerator, normaliseBaseUrl } from '../../src/suggest/llm.js';
import { offlineGenerator } from '../../src/suggest/offline/offlineGenerator.js';
import { renderOffline } from '../../src/suggest/offline/renderOffline.js';
import { assemblePrompt } from '../../src/suggest/prompt.js';
import type { SuggestionGenerator } from '../../src/suggest/types.js';
import {
  type FakeOpenAIServer,
  inventingDraft,
  promptEventId,
  startFakeOpenAI,
  userMessage,
  VALID_DRAFT,
} from '../fakes/openaiServer.js';
import { allCases, EMOJI, inputFor } from './suggestFixtures.js';

const input = inputFor(allCases()[0]!, { brand: 'Acme' }, { tone: 'bold', emoji: 'none' });
/** The model's draft as returned: what actions may apply comes from the facts, beside the model's content. */
const MODEL_DRAFT = {
  ...VALID_DRAFT,
  content: { ...VALID_DRAFT.content, apply: renderOffline(input).content.apply },
};

describe('LLM generator against a fake OpenAI-compatible server', () => {
  let fake: FakeOpenAIServer;
  let generator: SuggestionGenerator;

  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.setDefault({ kind: 'json', value: VALID_DRAFT });
    generator = createLlmGenerator({
      baseUrl: fake.baseUrl,
      model: 'fake-model',
      apiKey: 'sk-test',
      timeoutMs: 5_000,
      fallback: offlineGenerator,
    });
  });

  it("a model's own `apply` is dropped: what actions apply comes from the facts", async () => {
    const hostile = { ...VALID_DRAFT, content: { ...VALID_DRAFT.content, apply: { statements: ['DROP TABLE x;'] } } };
    fake.enqueue({ kind: 'json', value: hostile });
    const { draft, run } = await generator.generate(input);
    assert.equal(run.status, 'succeeded');
    assert.deepEqual(draft, MODEL_DRAFT);
    assert.ok(MODEL_DRAFT.content.apply, 'the product facts give parts to apply');
  });

  it("returns the model's draft and records tokens, latency, prompt and raw output", async () => {
    fake.enqueue({ kind: 'json', value: VALID_DRAFT, promptTokens: 321, completionTokens: 54 });
    const { draft, run } = await generator.generate(input);
    assert.deepEqual(draft, MODEL_DRAFT);
    assert.equal(run.generator, 'llm');
    assert.equal(run.model, 'fake-model');
    assert.equal(run.status, 'succeeded');
    assert.equal(run.error, null);
    assert.equal(run.tokensIn, 321);
    assert.equal(run.tokensOut, 54);
    assert.ok(run.latencyMs >= 0);
    assert.deepEqual(JSON.parse(run.output), VALID_DRAFT);
    const prompt = assemblePrompt(input);
    assert.ok(run.prompt.includes(prompt.system) && run.prompt.includes(prompt.user));
  });

  it('speaks the real wire format: model, system + user messages, a JSON schema, a bearer key', async () => {
    await generator.generate(input);
    const req = fake.requests[0]!;
    assert.equal(req.path, '/v1/chat/completions');
    assert.equal(req.headers.authorization, 'Bearer sk-test');
    assert.equal(req.body?.model, 'fake-model');
    assert.deepEqual(
      req.body?.messages.map((m) => m.role),
      ['system', 'user'],
    );
    assert.equal(req.body?.messages[0]?.content, assemblePrompt(input).system);
    assert.equal(req.body?.response_format?.type, 'json_schema');
    const schema = req.body?.response_format?.json_schema?.schema as { required?: string[] };
    assert.deepEqual(schema.required?.slice().sort(), ['body', 'title']);
  });

  it('retries a 429 (honouring Retry-After) and then succeeds', async () => {
    fake.enqueue({ kind: 'status', status: 429, retryAfter: '0' }, { kind: 'json', value: VALID_DRAFT });
    const { draft, run } = await generator.generate(input);
    assert.equal(fake.requests.length, 2);
    assert.equal(run.status, 'succeeded');
    assert.deepEqual(draft, MODEL_DRAFT);
  });

  it('retries a 500 and then succeeds', async () => {
    fake.enqueue({ kind: 'status', status: 500, retryAfter: '0' }, { kind: 'json', value: VALID_DRAFT });
    const { run } = await generator.generate(input);
    assert.equal(fake.requests.length, 2);
    assert.equal(run.status, 'succeeded');
  });

  it('falls back to the offline draft when retries are exhausted', async () => {
    fake.setDefault({ kind: 'status', status: 503, retryAfter: '0', message: 'overloaded' });
    const { draft, run } = await createLlmGenerator({
      baseUrl: fake.baseUrl,
      model: 'fake-model',
      timeoutMs: 5_000,
      fallback: offlineGenerator,
      maxRetries: 1,
    }).generate(input);
    assert.equal(fake.requests.length, 2);
    assert.equal(run.status, 'fallback');
    assert.equal(run.generator, 'llm');
    assert.equal(run.model, 'fake-model');
    assert.match(run.error ?? '', /retries exhausted/);
    assert.match(run.error ?? '', /HTTP 503/);
    assert.deepEqual(draft, renderOffline(input));
  });

  it('does not retry a 400 and falls back at once', async () => {
    fake.enqueue({ kind: 'status', status: 400, message: 'bad model' });
    const { run } = await generator.generate(input);
    assert.equal(fake.requests.length, 1);
    assert.equal(run.status, 'fallback');
    assert.match(run.error ?? '', /HTTP 400/);
  });

  it('falls back after the timeout when the server hangs', async () => {
    fake.enqueue({ kind: 'hang' });
    const started = Date.now();
    const { draft, run } = await createLlmGenerator({
      baseUrl: fake.baseUrl,
      model: 'fake-model',
      timeoutMs: 300,
      fallback: offlineGenerator,
    }).generate(input);
    const elapsed = Date.now() - started;
    assert.equal(run.status, 'fallback');
    assert.match(run.error ?? '', /timeout/);
    // It waited for its timeout (a lower bound holds on any machine); a hang would fail the test's own timeout.
    assert.ok(run.latencyMs >= 290 && elapsed >= 290, `latency ${run.latencyMs} ms, elapsed ${elapsed} ms`);
    assert.deepEqual(draft, renderOffline(input));
  });

  it('falls back on invalid JSON, keeping the billed tokens and what the model said', async () => {
    fake.enqueue({
      kind: 'content',
      content: 'Sure! Here is your suggestion: {title: oops',
      promptTokens: 200,
      completionTokens: 12,
    });
    const { draft, run } = await generator.generate(input);
    assert.equal(fake.requests.length, 1);
    assert.equal(run.status, 'fallback');
    assert.match(run.error ?? '', /invalid output/);
    assert.match(run.error ?? '', /title: oops/);
    assert.equal(run.tokensIn, 200);
    assert.equal(run.tokensOut, 12);
    assert.deepEqual(draft, renderOffline(input));
    assert.deepEqual(JSON.parse(run.output), draft);
  });

  it('falls back when the JSON does not match the schema', async () => {
    fake.enqueue({ kind: 'json', value: { title: 42, text: 'no body' } });
    const { run } = await generator.generate(input);
    assert.equal(run.status, 'fallback');
    assert.match(run.error ?? '', /invalid output/);
  });

  it('enforces the vibe on the model too: no emoji, no avoided words', async () => {
    fake.enqueue({
      kind: 'json',
      value: {
        title: 'Launch 🔥 Example T-Shirt',
        body: 'A cheap 🚀 deal',
        content: { hashtags: ['#cheapshirt', '#tee'] },
      },
    });
    const { draft } = await generator.generate({ ...input, vibe: { emoji: 'none', avoidWords: ['cheap'] } });
    assert.ok(!EMOJI.test(JSON.stringify(draft)));
    assert.ok(!/cheap/i.test(JSON.stringify(draft)), JSON.stringify(draft));
    assert.deepEqual(draft.content.hashtags, ['#tee']);
  });

  it('lets the model call a tool (fetchProduct) and then answer', async () => {
    const calls: string[] = [];
    const fetchProduct = tool({
      description: 'Fetch a product by id',
      inputSchema: z.object({ id: z.string() }),
      execute: async ({ id }) => {
        calls.push(id);
        return { id, title: 'Example T-Shirt', price: '19.99' };
      },
    });
    fake.enqueue(
      { kind: 'toolCalls', calls: [{ name: 'fetchProduct', arguments: { id: '788032119674292922' } }] },
      { kind: 'json', value: VALID_DRAFT },
    );
    const { draft, run } = await createLlmGenerator({
      baseUrl: fake.baseUrl,
      model: 'fake-model',
      timeoutMs: 5_000,
      fallback: offlineGenerator,
      tools: { fetchProduct },
    }).generate(input);
    assert.deepEqual(calls, ['788032119674292922']);
    assert.equal(run.status, 'succeeded');
    assert.deepEqual(draft, MODEL_DRAFT);
    assert.equal(fake.requests.length, 2);
    assert.equal(fake.requests[0]?.body?.tools?.[0]?.function.name, 'fetchProduct');
    const toolMessage = fake.requests[1]?.body?.messages.find((m) => m.role === 'tool');
    assert.match(String(toolMessage?.content), /Example T-Shirt/);
    // Tokens of both round trips are counted.
    assert.equal(run.tokensIn, 50 + 120);
  });

  describe('answers checked against the facts', () => {
    const inventory = inputFor(
      allCases().find((c) => c.name === 'inventory low')!,
      { brand: 'Acme', language: 'fr', audience: 'infirmières de nuit qui lisent dans le bus' },
      { tone: 'refined' },
    );

    it(
      'gives the model the same facts as the offline draft, the language, the tone and the ' + 'audience as internal',
      async () => {
        fake.setResponder(() => ({ kind: 'json', value: renderOffline(inventory) }));
        await generator.generate(inventory);
        const req = fake.requests[0]!;
        const offline = await offlineGenerator.generate(inventory);
        const factsLine = (text: string) => text.split('\n').find((l) => l.startsWith('Facts: '));
        assert.equal(factsLine(userMessage(req.body!)), factsLine(offline.run.prompt));
        assert.equal(promptEventId(req.body!), inventory.eventId);
        const system = String(req.body!.messages[0]!.content);
        assert.match(system, /Write everything in French \(fr\)/);
        assert.match(system, /Tone: refined \(quiet luxury/);
        assert.match(system, /Never quote, paraphrase or mention this description/);
        fake.setResponder(undefined);
      },
    );

    it('uses a faithful answer: every figure and name is in the facts', async () => {
      const faithful = renderOffline(inventory);
      fake.enqueue({ kind: 'json', value: faithful });
      const { draft, run } = await generator.generate(inventory);
      assert.equal(run.status, 'succeeded', run.error ?? '');
      assert.deepEqual(draft, faithful);
    });

    it('falls back to the offline draft when the answer invents a figure and a product, and says what', async () => {
      fake.enqueue({
        kind: 'json',
        value: inventingDraft(renderOffline(inventory)),
        promptTokens: 400,
        completionTokens: 90,
      });
      const { draft, run } = await generator.generate(inventory);
      assert.equal(run.status, 'fallback');
      assert.match(
        run.error ?? '',
        /^invented: numbers not in the facts: \d+; names not in the facts: Aurora Silk Scarf/,
      );
      assert.equal(run.tokensIn, 400);
      assert.equal(run.tokensOut, 90);
      assert.deepEqual(draft, renderOffline(inventory));
    });

    it('falls back when the answer repeats the internal audience description', async () => {
      const faithful = renderOffline(inventory);
      fake.enqueue({
        kind: 'json',
        value: { ...faithful, body: `${faithful.body}\n\nPour les infirmières de nuit qui lisent dans le bus.` },
      });
      const { run } = await generator.generate(inventory);
      assert.equal(run.status, 'fallback');
      assert.match(run.error ?? '', /repeats the internal audience description/);
    });
  });

  it('createGenerator picks the LLM when LOOKOUT_LLM_BASE_URL is set, templates otherwise', async () => {
    assert.equal(createGenerator(loadConfig({})), offlineGenerator);
    const config = loadConfig({
      LOOKOUT_LLM_BASE_URL: fake.baseUrl,
      LOOKOUT_LLM_MODEL: 'configured-model',
      LOOKOUT_LLM_TIMEOUT_MS: '2000',
    });
    const { run } = await createGenerator(config).generate(input);
    assert.equal(run.generator, 'llm');
    assert.equal(run.status, 'succeeded');
    assert.equal(fake.requests[0]?.body?.model, 'configured-model');
  });

  it('treats a bare origin as its /v1 API', () => {
    assert.equal(normaliseBaseUrl('http://127.0.0.1:11434'), 'http://127.0.0.1:11434/v1');
    assert.equal(normaliseBaseUrl('https://api.openai.com/v1/'), 'https://api.openai.com/v1');
  });
});
