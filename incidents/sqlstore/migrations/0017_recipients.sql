-- Notices go to their recipient: the message names the address it is
-- delivered to, and the obligation keeps the proof of its delivery (SMTP's
-- accepted recipient and message id, the webhook's status and request id,
-- the file's path and hash, or a phone call a person recorded).
ALTER TABLE outbox ADD COLUMN rcpt TEXT NOT NULL DEFAULT '';
-- A data subject's address is personal data: the delivery log, the proof
-- and the timeline show it masked (rcpt_shown), the notice alone holds it.
ALTER TABLE outbox ADD COLUMN rcpt_shown TEXT NOT NULL DEFAULT '';
ALTER TABLE obligations ADD COLUMN proof TEXT NOT NULL DEFAULT '';

-- The data subjects of an incident, from the list the DPO uploads (CSV:
-- name, email, postal address), one notice each. The list is personal
-- data: it is purged (its values emptied, purged_at set) once the notices
-- no longer need it.
CREATE TABLE data_subjects (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    row         INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    email       TEXT    NOT NULL,
    address     TEXT    NOT NULL,
    uploaded_at INTEGER NOT NULL,
    purged_at   INTEGER
);
CREATE INDEX data_subjects_incident ON data_subjects (incident_id, id);
