import { createServer } from 'node:http';

/** A minimal OpenAI-compatible endpoint that can hang, for tests about workers stuck in generation. */
export async function startFakeOpenAi(): Promise<{
  url: string;
  requests: number;
  hang: boolean;
  close(): Promise<void>;
}> {
  const state = { requests: 0, hang: false };
  const pending = new Set<import('node:http').ServerResponse>();
  const server = createServer((req, res) => {
    state.requests++;
    req.resume();
    if (state.hang) {
      pending.add(res);
      return;
    }
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of pending) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as { url: string; requests: number; hang: boolean; close(): Promise<void> };
}
