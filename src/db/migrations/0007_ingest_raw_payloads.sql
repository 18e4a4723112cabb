-- Payloads PostgreSQL's jsonb cannot hold as received (a NUL or a lone surrogate escape in a
-- string, a number beyond numeric's range, nesting past the ingest limit) are stored, not refused:
-- event_data holds a sanitised copy that processing reads, event_data_raw the exact text received
-- (the API returns it), payload_issues says what differs. Both stay NULL for ordinary events.
alter table background_events add column event_data_raw text;
alter table background_events add column payload_issues text[];
