-- Operator alerts (src/ops/alerts.ts): one row per time a rule fired, open until its condition clears.

create table operator_alerts (
  id uuid primary key default gen_random_uuid(),
  rule text not null,
  status text not null default 'open' check (status in ('open', 'resolved')),
  -- what the rule measured when it last fired, and its threshold then
  value double precision not null,
  threshold double precision not null,
  summary text not null,
  opened_at timestamptz not null,
  last_seen_at timestamptz not null,
  resolved_at timestamptz,
  -- the next message to the operator's channels (firing, still firing, resolved) is due at this
  -- time; null: none. A process sends it only after moving this forward in one UPDATE, so of
  -- several worker processes exactly one sends each message.
  notice_due_at timestamptz,
  -- messages sent about this alert (the number of the next one names it on the wire)
  notices_sent integer not null default 0,
  last_notice_at timestamptz,
  last_notice_error text
);
-- At most one open alert per rule: a rule that keeps firing updates it instead of opening another.
create unique index operator_alerts_open on operator_alerts (rule) where status = 'open';
create index operator_alerts_notice_due on operator_alerts (notice_due_at) where notice_due_at is not null;
create index operator_alerts_recent on operator_alerts (opened_at desc);

-- Webhook deliveries refused, per minute, written by the processes that receive webhooks so the
-- worker that evaluates alerts sees every process's refusals. Rows older than a day are pruned.
create table webhook_rejection_counts (
  minute timestamptz primary key,
  rejected bigint not null default 0
);
