-- The last catalog snapshot of each Supabase integration (see src/sources/supabase/).
-- A large project's snapshot is megabytes of jsonb: kept here, one row per integration, rather
-- than in integrations.poll_state, which the poll loop rewrites on every claim.
create table schema_snapshots (
  integration_id uuid primary key references integrations(id) on delete cascade,
  snapshot jsonb not null,
  taken_at timestamptz not null
);
