// Child process of bench/poll-loop.bench.ts: one Lookout worker process (role worker: poll loop,
// event worker, delivery worker) configured from its environment, as `lookout start --role worker`.
// Plain JavaScript so that it can run the compiled build (dist/, what `npm start` runs) under
// plain node; BENCH_LOOKOUT_BASE=src runs the TypeScript sources instead (the parent adds tsx).
// It records the lateness of every poll it starts (the value metrics.pollLateness observes) with
// the time it was observed, and reports them with the poll counters and memory when asked.
const base = new URL(`../../${process.env.BENCH_LOOKOUT_BASE === 'src' ? 'src' : 'dist'}/`, import.meta.url);
const { createLookout } = await import(new URL('app.js', base).href);
const { loadConfig } = await import(new URL('config.js', base).href);
const { Metrics } = await import(new URL('metrics.js', base).href);

const metrics = new Metrics();
const at = [];
const lateness = [];
const observe = metrics.pollLateness.observe.bind(metrics.pollLateness);
metrics.pollLateness.observe = (labels, value) => {
  at.push(Date.now());
  lateness.push(value);
  observe(labels, value);
};

const lookout = await createLookout(loadConfig(process.env), { role: 'worker', metrics });
await lookout.listen();
process.send({ kind: 'ready' });
process.on('message', (m) => {
  if (m.kind !== 'report') return;
  void (async () => {
    const polls = (await metrics.polls.get()).values.map((v) => ({ outcome: v.labels.outcome, value: v.value }));
    const memory = process.memoryUsage();
    // A full collection (the parent passes --expose-gc) tells live data from garbage not yet collected.
    globalThis.gc?.();
    process.send({ kind: 'report', at, lateness, polls, memory, afterGc: process.memoryUsage() });
  })();
});
process.on('SIGTERM', () => {
  void lookout.close().finally(() => process.exit(0));
});
