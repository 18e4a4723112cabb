-- Notifications: the live stream's replay log and the outbound delivery queue (see src/notify/).

-- Every message of GET /api/stream, so a client that reconnects with Last-Event-ID gets exactly
-- what it missed, whichever process published it. Rows are pruned after a day (bus.ts).
create table stream_messages (
  id bigserial primary key,
  user_id uuid not null references users(id) on delete cascade,
  type text not null check (type in ('event', 'suggestion', 'notification')),
  -- id of the thing the message is about (event, suggestion)
  entity_id text not null,
  data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index stream_messages_user on stream_messages (user_id, id);
create index stream_messages_created on stream_messages (created_at);

-- One row per suggestion and channel: at most one Slack message, one email, one webhook each.
-- Targets (webhook URLs, addresses, signing secrets) are not copied here: they are read from the
-- user's preferences at send time, so secrets stay in one place and a removed channel stops.
create table notification_deliveries (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users(id) on delete cascade,
  suggestion_id uuid not null references suggestions(id) on delete cascade,
  channel text not null check (channel in ('slack', 'email', 'webhook')),
  -- pending: not tried yet; failed: last attempt failed, another is scheduled; dead: gave up
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed', 'dead')),
  attempts integer not null default 0,
  -- deferred to the end of quiet hours, or to the next retry
  next_attempt_at timestamptz not null default now(),
  -- lease of the worker sending it: a crashed worker's lease expires and another takes over
  locked_by text,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  delivered_at timestamptz,
  unique (suggestion_id, channel)
);
create index notification_deliveries_due on notification_deliveries (next_attempt_at) where status in ('pending', 'failed');
create index notification_deliveries_user on notification_deliveries (user_id, created_at desc);
