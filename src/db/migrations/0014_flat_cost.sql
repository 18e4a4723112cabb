-- Retention and flat cost as data grows.

-- Dedupe keys of events removed by retention while a redelivery of them could still arrive: the
-- ingest INSERT skips a key held here, so a late retry of a pruned event is answered "duplicate"
-- and not stored again. Kept until expires_at (the event's receipt + 7 days), then pruned too.
create table dedupe_tombstones (
  user_id uuid not null references users(id) on delete cascade,
  source text not null,
  dedupe_key text not null,
  expires_at timestamptz not null,
  primary key (user_id, source, dedupe_key)
);
create index dedupe_tombstones_expires on dedupe_tombstones (expires_at);

-- Retention (src/retention/): each table's oldest removable rows, found without a scan. Partial
-- where the rule is partial, so rows retention never removes (dead, undelivered) cost nothing.
create index background_events_retention on background_events (received_at) where status = 'processed';
create index agent_runs_created on agent_runs (created_at);
create index suggestions_created on suggestions (created_at);
create index notification_deliveries_delivered on notification_deliveries (delivered_at) where status = 'delivered';
-- Deleting an agent run sets suggestions.agent_run_id to null: without this, a scan per run.
create index suggestions_agent_run on suggestions (agent_run_id) where agent_run_id is not null;

-- GET /api/events?type= and GET /api/suggestions?status=: one user's page read from an index in
-- seq order, however many rows other users (or other types) have. (?status= on events reads the
-- user's own rows through background_events_user: an index on status would cost every processed
-- event one more index write, as status changes.)
create index background_events_user_type_seq on background_events (user_id, event_type, seq desc);
create index suggestions_user_status_seq on suggestions (user_id, status, seq desc);

-- Bytes per processed event: PostgreSQL compresses a row's long text only once the row passes
-- toast_tuple_target (2 kB by default). An agent run's prompt and output and a suggestion's body
-- are 0.5-6 kB of repetitive text, written once: compressed in the row at a lower target (storage
-- MAIN: not moved to the TOAST table, which would cost a second tuple and an index entry).
-- An event's row is written twice (stored, then processed): its payload is better moved out of
-- the row early, so the second write copies a pointer instead of the payload.
alter table agent_runs set (toast_tuple_target = 256);
alter table agent_runs alter column prompt set storage main, alter column output set storage main;
alter table suggestions set (toast_tuple_target = 256);
alter table suggestions alter column body set storage main, alter column content set storage main;
alter table background_events set (toast_tuple_target = 256);

-- An agent run whose output is exactly its suggestion's draft (title, body and content; a batch's
-- suggestion adds covers and via to content) stores null rather than the same text twice.
comment on column agent_runs.output is
  'the generator''s raw output; null when it is exactly the draft its suggestion stores (title, body, content)';
