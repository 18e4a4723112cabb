-- Notification channels are declared by the application's channel registry
-- (src/notify/channels/registry.ts), which validates every kind before a delivery is queued: the
-- database no longer repeats the list, so adding a channel needs no migration. PostgreSQL (and
-- PGlite, which is PostgreSQL) named the column's check constraint <table>_<column>_check.
alter table notification_deliveries drop constraint if exists notification_deliveries_channel_check;
