/**
 * A fake OpenAI-compatible server on a real socket: POST /v1/chat/completions with the real wire
 * format (request {model, messages, response_format, tools}; response {id, object:
 * 'chat.completion', choices, usage}). Each request takes the next scripted reply (429 with
 * Retry-After, 500, a hang, invalid JSON, tool calls...) and is recorded for assertions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeReply =
  /** An assistant message with this exact content (valid or not). */
  | { kind: 'content'; content: string; promptTokens?: number; completionTokens?: number }
  /** An assistant message whose content is JSON.stringify(value). */
  | { kind: 'json'; value: unknown; promptTokens?: number; completionTokens?: number }
  /** An HTTP error in OpenAI's error shape. */
  | { kind: 'status'; status: number; retryAfter?: string; message?: string }
  /** Never answers (until the client aborts or the server closes). */
  | { kind: 'hang' }
  /** An assistant message asking for tool calls (finish_reason 'tool_calls'). */
  | { kind: 'toolCalls'; calls: Array<{ name: string; arguments: unknown }> };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: ChatCompletionRequest | undefined;
}

export interface ChatCompletionRequest {
  model: string;
  messages: Array<{ role: string; content: unknown; tool_calls?: unknown; tool_call_id?: string }>;
  response_format?: { type: string; json_schema?: { name?: string; schema?: unknown; strict?: boolean } };
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
  [key: string]: unknown;
}

export interface FakeOpenAIServer {
  /** Base URL including /v1, as OpenAI clients expect. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queues replies, consumed one per request in order. */
  enqueue(...replies: FakeReply[]): void;
  /** The reply once the queue is empty. */
  setDefault(reply: FakeReply): void;
  /**
   * Answers from the request itself once the queue is empty (before the default): a model that
   * writes from the prompt it was given, faithfully or not.
   */
  setResponder(responder: ((request: ChatCompletionRequest) => FakeReply | undefined) | undefined): void;
  close(): Promise<void>;
}

export const VALID_DRAFT = {
  title: 'Launch content for Example T-Shirt',
  body: '## TikTok hooks\n\n1. Meet Example T-Shirt.',
  content: { hooks: ['Meet Example T-Shirt.', 'Hook two', 'Hook three'] },
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

let sequence = 0;

function completion(
  model: string,
  message: Record<string, unknown>,
  finishReason: string,
  promptTokens: number,
  completionTokens: number,
): unknown {
  sequence += 1;
  return {
    id: `chatcmpl-fake-${sequence}`,
    object: 'chat.completion',
    created: 1_700_000_000 + sequence,
    model,
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason, logprobs: null }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

export async function startFakeOpenAI(): Promise<FakeOpenAIServer> {
  const queue: FakeReply[] = [];
  let fallbackReply: FakeReply = { kind: 'json', value: VALID_DRAFT };
  let responder: ((request: ChatCompletionRequest) => FakeReply | undefined) | undefined;
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: ChatCompletionRequest | undefined;
      try {
        body = JSON.parse(raw) as ChatCompletionRequest;
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });

      if (req.method === 'GET' && path === '/v1/models') {
        // The model list, as OpenAI, Ollama and vLLM serve it (what `lookout doctor` asks for).
        sendJson(res, 200, {
          object: 'list',
          data: [{ id: 'fake-model', object: 'model', owned_by: 'lookout-tests' }],
        });
        return;
      }
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        sendJson(res, 404, {
          error: { message: `Unknown route ${req.method} ${path}`, type: 'invalid_request_error', code: 'not_found' },
        });
        return;
      }
      if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
        sendJson(res, 400, {
          error: { message: 'model and messages are required', type: 'invalid_request_error', code: null },
        });
        return;
      }
      const reply = queue.shift() ?? responder?.(body) ?? fallbackReply;
      switch (reply.kind) {
        case 'hang':
          return; // the socket stays open; close() or the client's abort ends it
        case 'status': {
          const headers: Record<string, string> =
            reply.retryAfter !== undefined ? { 'retry-after': reply.retryAfter } : {};
          const type =
            reply.status === 429
              ? 'rate_limit_exceeded'
              : reply.status >= 500
                ? 'server_error'
                : 'invalid_request_error';
          sendJson(
            res,
            reply.status,
            { error: { message: reply.message ?? `fake ${reply.status}`, type, code: null } },
            headers,
          );
          return;
        }
        case 'toolCalls':
          sendJson(
            res,
            200,
            completion(
              body.model,
              {
                content: null,
                tool_calls: reply.calls.map((c, i) => ({
                  id: `call_${sequence + 1}_${i}`,
                  type: 'function',
                  function: { name: c.name, arguments: JSON.stringify(c.arguments) },
                })),
              },
              'tool_calls',
              50,
              10,
            ),
          );
          return;
        case 'json':
          sendJson(
            res,
            200,
            completion(
              body.model,
              { content: JSON.stringify(reply.value) },
              'stop',
              reply.promptTokens ?? 120,
              reply.completionTokens ?? 45,
            ),
          );
          return;
        case 'content':
          sendJson(
            res,
            200,
            completion(
              body.model,
              { content: reply.content },
              'stop',
              reply.promptTokens ?? 120,
              reply.completionTokens ?? 45,
            ),
          );
          return;
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'server_error', code: null } });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setDefault: (reply) => {
      fallbackReply = reply;
    },
    setResponder: (fn) => {
      responder = fn;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging requests keep sockets open; without this close() would wait for them forever.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** The text of the request's user message (the facts and the task). */
export function userMessage(request: ChatCompletionRequest): string {
  const m = request.messages.find((x) => x.role === 'user');
  return typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content ?? '');
}

/** The event id the prompt is about ("Event: TYPE (id ID)"). */
export function promptEventId(request: ChatCompletionRequest): string | undefined {
  return /^Event: \S+ \(id ([^)]+)\)/m.exec(userMessage(request))?.[1];
}

/**
 * A draft that invents: a figure that is in no fact (the first number of 11 or more is raised by
 * 37) and a product name nobody gave it. A faithful model never does either.
 */
export function inventingDraft(draft: { title: string; body: string; content: Record<string, unknown> }): {
  title: string;
  body: string;
  content: Record<string, unknown>;
} {
  let changed = false;
  const body = draft.body.replace(/(?<![\p{L}\p{N}_.,])\d{2,}(?![\p{L}\p{N}_])/u, (n) => {
    if (Number(n) < 11) return n;
    changed = true;
    return String(Number(n) + 37);
  });
  return {
    title: draft.title,
    body:
      `${changed ? body : `${body}\n\n- 73 customers asked for it this week.`}\n\n- Pair it with the ` +
      `**Aurora Silk Scarf**.`,
    content: draft.content,
  };
}
