-- Why an integration is not polled (no credentials: webhooks only), kept apart from real errors.
alter table integrations add column last_poll_note text;
