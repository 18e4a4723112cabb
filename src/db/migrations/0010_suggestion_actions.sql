-- What accepting a suggestion did outside Lookout: one row per suggestion and part (a product's
-- description, its SEO, its tags, a discount code, a set of COMMENT ON statements). The row is
-- claimed before the remote call, so a retried or concurrent accept finds it and does not apply
-- the part twice; `previous` keeps what the target held before, for undo.
create table suggestion_actions (
  id uuid primary key default gen_random_uuid(),
  suggestion_id uuid not null references suggestions(id) on delete cascade,
  user_id uuid not null references users(id) on delete cascade,
  part text not null,
  kind text not null,
  target text not null,
  status text not null check (status in ('applying', 'applied', 'failed', 'undoing', 'undone')),
  proposed jsonb not null,
  previous jsonb,
  result jsonb,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (suggestion_id, part)
);
create index suggestion_actions_user on suggestion_actions (user_id, created_at desc);
