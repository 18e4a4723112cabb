-- Ownership before data: a Shopify integration receives the shop's webhooks only once its user has
-- proven the shop is theirs. Until then the claim is pending and receives nothing.

-- How the shop was proven: installed through OAuth, an access token the Admin API confirmed
-- belongs to the shop, attached by the operator, or the operator's quick set-up. Null: pending.
alter table integrations add column shop_proof text
  check (shop_proof in ('oauth', 'access_token', 'operator', 'quick_setup'));
alter table integrations add column shop_proven_at timestamptz;
-- Why a claim is pending (shown to its user with what to do), and whether the poll loop should
-- check its access token again (Shopify was unreachable, or the claim predates this check).
alter table integrations add column shop_pending_reason text;
alter table integrations add column shop_verify_due boolean not null default false;

-- The operator's quick set-up (SHOPIFY_STORE_URL) is operator configuration: proven.
update integrations set shop_proof = 'quick_setup', shop_proven_at = now()
 where kind = 'shopify' and config->>'quickSetup' = 'true';
-- Every other existing claim was never checked: pending. One with stored credentials may hold an
-- access token, which the poll loop checks at its next poll (a confirmed token proves the shop);
-- the others need a token, the app install or the operator.
update integrations
   set shop_pending_reason = case when credentials is null
         then 'connected before shop ownership was checked: nothing proves this shop is yours yet'
         else 'connected before shop ownership was checked: the access token is checked at the next poll' end,
       shop_verify_due = credentials is not null
 where kind = 'shopify' and shop_proof is null;

-- Supabase pending migrations for projects whose files are not on this server: the list of
-- migration files a user reported (lookout supabase migrations report), compared by the poller
-- with what the project's database has applied. One report per integration: the latest wins.
create table supabase_migration_reports (
  integration_id uuid primary key references integrations(id) on delete cascade,
  -- the folder as the user named it on their machine (shown in suggestions, never read here)
  dir text,
  -- [{"name": "20240101120000_init.sql", "sha256": "..."}], as sent
  files jsonb not null,
  reported_at timestamptz not null default now()
);
