-- Installing the Shopify app (OAuth authorization-code grant). The state a user's install sends to
-- Shopify comes back on the callback: kept hashed, single use, for ten minutes, bound to the user
-- who started the install and to the browser that did (the hash of a cookie set with the state).
create table shopify_install_states (
  state_hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  shop_domain text not null,
  browser_hash text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index shopify_install_states_expiry on shopify_install_states (expires_at);

-- The scopes the shop granted at install (comma-separated, as Shopify answers); null: unknown
-- (connected with a token or by the operator). Fewer than SHOPIFY_SCOPES turns features off.
alter table integrations add column shopify_scopes text;
-- The last webhook subscription sync: when, what it did per topic and what it could not do.
alter table integrations add column webhook_sync jsonb;
alter table integrations add column webhook_synced_at timestamptz;
