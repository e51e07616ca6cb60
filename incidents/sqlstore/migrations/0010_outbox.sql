-- The durable outbox: every message breachd owes someone (the team paged
-- on a new incident, a notice), committed in the transaction of the change
-- that caused it, delivered with retries, kept with its delivery log.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    incident_id     INTEGER NOT NULL REFERENCES incidents (id),
    channel         TEXT    NOT NULL,
    route           TEXT    NOT NULL,
    event           TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL UNIQUE,
    state           TEXT    NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending';

-- Every attempt, with what was sent and what came back.
CREATE TABLE deliveries (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES outbox (id),
    at         INTEGER NOT NULL,
    ok         INTEGER NOT NULL,
    detail     TEXT    NOT NULL,
    payload    TEXT    NOT NULL
);
CREATE INDEX deliveries_message ON deliveries (message_id, id);
