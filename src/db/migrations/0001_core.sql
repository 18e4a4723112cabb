-- Core tables: users and their keys, integrations, the event inbox, agent runs and suggestions.

create table settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null unique,
  name text,
  -- brand, niche, audience, language
  profile jsonb not null default '{}'::jsonb,
  -- tone, emoji, length, avoidWords
  vibe jsonb not null default '{}'::jsonb,
  -- the seed's auto_suggest switch, kept as a column: every decision reads it
  auto_suggest boolean not null default true,
  -- filters, channels, thresholds, rate limits: validated by the API (see api/preferences)
  preferences jsonb not null default '{}'::jsonb,
  -- secret parts of notification channels (Slack webhook URL, webhook signing secret), sealed
  channel_credentials text,
  -- the user's background loop: false after POST /api/loop/stop
  loop_enabled boolean not null default true,
  created_at timestamptz not null default now()
);

create table api_keys (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users(id) on delete cascade,
  -- sha256 of the key: the key itself is shown once and never stored
  key_hash text not null unique,
  prefix text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_keys_user on api_keys (user_id);

create table integrations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users(id) on delete cascade,
  kind text not null check (kind in ('shopify', 'supabase', 'calendar')),
  status text not null default 'active' check (status in ('active', 'disabled')),
  -- routing key of Shopify webhooks (lower-case myshopify domain); null for other kinds
  shop_domain text,
  -- non-secret settings (project URL, migrations folder, ICS URL, lead times)
  config jsonb not null default '{}'::jsonb,
  -- secrets (access token, webhook secret, DB URL) as one AES-256-GCM box; see lib/secretBox.ts
  credentials text,
  -- the durable poll schedule (loop/): claimed with FOR UPDATE SKIP LOCKED
  poll_interval_s integer,
  next_poll_at timestamptz not null default now(),
  poll_failures integer not null default 0,
  last_poll_at timestamptz,
  last_poll_error text,
  last_webhook_at timestamptz,
  -- per-source reconciliation state (updated_at watermark, schema snapshot id, ...)
  poll_state jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index integrations_user on integrations (user_id);
create index integrations_shop on integrations (shop_domain) where kind = 'shopify';
create index integrations_due on integrations (next_poll_at) where status = 'active';

create table agent_runs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users(id) on delete cascade,
  event_id uuid,
  generator text not null,
  model text,
  prompt text not null,
  output text,
  tokens_in integer,
  tokens_out integer,
  latency_ms integer not null default 0,
  status text not null check (status in ('succeeded', 'failed', 'fallback')),
  error text,
  created_at timestamptz not null default now()
);
create index agent_runs_user on agent_runs (user_id, created_at desc);

create table suggestions (
  id uuid primary key default gen_random_uuid(),
  -- insertion order: the API's pagination cursor
  seq bigint generated always as identity,
  user_id uuid not null references users(id) on delete cascade,
  -- the event it was made for (the latest one, for a debounced or batched suggestion)
  event_id uuid not null,
  event_type text not null,
  agent_run_id uuid references agent_runs(id) on delete set null,
  title text not null,
  body text not null,
  -- structured parts (hooks, caption, SQL...) for the dashboard's copy buttons
  content jsonb not null default '{}'::jsonb,
  status text not null default 'new' check (status in ('new', 'accepted', 'dismissed')),
  created_at timestamptz not null default now(),
  actioned_at timestamptz,
  -- one event, at most one suggestion
  unique (event_id)
);
create index suggestions_user on suggestions (user_id, seq desc);

create table background_events (
  id uuid primary key default gen_random_uuid(),
  -- insertion order: the API's pagination cursor
  seq bigint generated always as identity,
  user_id uuid not null references users(id) on delete cascade,
  integration_id uuid references integrations(id) on delete set null,
  event_type text not null,
  source text not null check (source in ('shopify', 'supabase', 'calendar')),
  -- the payload exactly as received (stored from text: no number loses digits)
  event_data jsonb not null,
  event_timestamp timestamptz not null,
  received_at timestamptz not null default now(),
  -- one source event is stored once per user, however often it is delivered or polled
  dedupe_key text not null,
  suggestion_generated boolean not null default false,
  suggestion_id uuid references suggestions(id) on delete set null,
  user_actioned boolean not null default false,
  -- processing state of the durable inbox (processing/)
  status text not null default 'pending' check (status in ('pending', 'processing', 'processed', 'dead')),
  attempts integer not null default 0,
  run_at timestamptz not null default now(),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  processed_at timestamptz,
  -- why flow control left it without a suggestion (filtered, rate_limited, auto_suggest_off, ...)
  outcome text,
  unique (user_id, source, dedupe_key)
);
create index background_events_due on background_events (run_at) where status in ('pending', 'processing');
create index background_events_user on background_events (user_id, seq desc);
create index background_events_user_type on background_events (user_id, event_type, received_at desc);
