-- Each source computes an event's subject (what it is about) when the event is stored
-- (Source.subjectOf in src/sources/<name>/index.ts), instead of one expression here that knew every
-- source's payload: a new source's events group without a migration. Existing rows keep their
-- values, and the indexes on subject (background_events_group, background_events_subject_history)
-- stay as they are.
alter table background_events alter column subject drop expression;

-- The signed-webhook source (src/sources/signedWebhook): any sender of Standard Webhooks.
alter table integrations drop constraint integrations_kind_check;
alter table integrations add constraint integrations_kind_check
  check (kind in ('shopify', 'supabase', 'calendar', 'signed'));
alter table background_events drop constraint background_events_source_check;
alter table background_events add constraint background_events_source_check
  check (source in ('shopify', 'supabase', 'calendar', 'signed'));
