-- A resend is a new message: its own key (so its own Message-ID) and its
-- own delivery log, linked to the message it sends again.
ALTER TABLE outbox ADD COLUMN resend_of INTEGER REFERENCES outbox (id);
-- When a notice reached its recipient: the delivery's time, the call's or
-- the publication's as the person recorded it (not when it was recorded).
-- The register's "notified" says this time.
ALTER TABLE obligations ADD COLUMN delivered_at INTEGER;
-- An updated notice (GDPR Art. 33(4): information in phases) is an
-- obligation of its own, keyed "update N of RECIPIENT", linked to the
-- obligation whose notice it updates.
ALTER TABLE obligations ADD COLUMN update_of INTEGER REFERENCES obligations (id);
