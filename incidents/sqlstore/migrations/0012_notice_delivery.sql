-- An approved notice goes out through the outbox: the message names its
-- obligation and carries the notice; the obligation keeps the notice as
-- it was approved and sent (P15: decisions and notifications are kept).
ALTER TABLE outbox ADD COLUMN obligation_id INTEGER REFERENCES obligations (id);
ALTER TABLE outbox ADD COLUMN subject       TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN body          TEXT NOT NULL DEFAULT '';
ALTER TABLE obligations ADD COLUMN notice   TEXT NOT NULL DEFAULT '';
