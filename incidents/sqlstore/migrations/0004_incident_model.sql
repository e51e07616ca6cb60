-- The incident model of the response team: clocks, lifecycle, risk, scope,
-- evidence, links, merges, the hash-chained timeline and register, and the
-- obligations that block closing.
ALTER TABLE incidents ADD COLUMN origin           TEXT    NOT NULL DEFAULT 'rule';
ALTER TABLE incidents ADD COLUMN reporter         TEXT    NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN description      TEXT    NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN host             TEXT    NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN evidence_dropped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN occurred_at      INTEGER;
ALTER TABLE incidents ADD COLUMN aware_at         INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN determined_at    INTEGER;
ALTER TABLE incidents ADD COLUMN contained_at     INTEGER;
ALTER TABLE incidents ADD COLUMN closed_at        INTEGER;
ALTER TABLE incidents ADD COLUMN updated_at       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN resolution       TEXT    NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN risk             TEXT    NOT NULL DEFAULT 'unassessed';
ALTER TABLE incidents ADD COLUMN suggested_risk   TEXT    NOT NULL DEFAULT 'unassessed';
ALTER TABLE incidents ADD COLUMN risk_reason      TEXT    NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN risk_by          TEXT    NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN personal_data    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN scope            TEXT    NOT NULL DEFAULT '{}';
ALTER TABLE incidents ADD COLUMN cost_exposure    REAL    NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN currency         TEXT    NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN merged_into      INTEGER REFERENCES incidents (id);
ALTER TABLE incidents ADD COLUMN reopened         INTEGER NOT NULL DEFAULT 0;
UPDATE incidents SET aware_at = detected_at, updated_at = detected_at, occurred_at = first_seen;
CREATE INDEX incidents_status ON incidents (status, severity);
CREATE INDEX incidents_fingerprint ON incidents (fingerprint, id);

-- Matched lines kept per incident (capped, masked); a purge empties line
-- and sets purged_at.
CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    at          INTEGER NOT NULL,
    line        TEXT    NOT NULL,
    purged_at   INTEGER
);
CREATE INDEX evidence_incident ON evidence (incident_id, id);
INSERT INTO evidence (incident_id, at, line) SELECT id, first_seen, evidence FROM incidents WHERE evidence != '';

-- Values that relate incidents across rules and hosts.
CREATE TABLE incident_entities (
    kind        TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    PRIMARY KEY (kind, value, incident_id)
) WITHOUT ROWID;

-- Related incidents; a < b.
CREATE TABLE incident_links (
    a     INTEGER NOT NULL REFERENCES incidents (id),
    b     INTEGER NOT NULL REFERENCES incidents (id),
    kind  TEXT    NOT NULL,
    value TEXT    NOT NULL,
    at    INTEGER NOT NULL,
    PRIMARY KEY (a, b, kind, value)
) WITHOUT ROWID;
CREATE INDEX incident_links_b ON incident_links (b);

-- Fingerprints of merged incidents: their findings go to the survivor.
CREATE TABLE merged_fingerprints (
    fingerprint TEXT    PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id)
);

-- The timeline joins the hash chain (backfilled by the migration code).
ALTER TABLE timeline ADD COLUMN seq          INTEGER;
ALTER TABLE timeline ADD COLUMN data         TEXT NOT NULL DEFAULT '{}';
ALTER TABLE timeline ADD COLUMN supersedes   INTEGER REFERENCES timeline (id);
ALTER TABLE timeline ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE timeline ADD COLUMN prev_hash    TEXT NOT NULL DEFAULT '';
ALTER TABLE timeline ADD COLUMN hash         TEXT NOT NULL DEFAULT '';
ALTER TABLE timeline ADD COLUMN redacted_at  INTEGER;

-- The Data Breach Register: permanent, append-only, hash-chained.
CREATE TABLE register (
    id           INTEGER PRIMARY KEY,
    seq          INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    incident_id  INTEGER REFERENCES incidents (id),
    kind         TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    record       TEXT    NOT NULL,
    supersedes   INTEGER REFERENCES register (id),
    content_hash TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
);

-- The last entry of each chain, written with every append.
CREATE TABLE chain_heads (
    chain TEXT    PRIMARY KEY,
    seq   INTEGER NOT NULL,
    hash  TEXT    NOT NULL
);

-- Notice obligations per (incident, policy, recipient). Undecided ones
-- (pending, drafted, approved) block closing.
CREATE TABLE obligations (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    policy      TEXT    NOT NULL,
    recipient   TEXT    NOT NULL,
    due_at      INTEGER,
    state       TEXT    NOT NULL DEFAULT 'pending',
    decided_by  TEXT    NOT NULL DEFAULT '',
    reason      TEXT    NOT NULL DEFAULT '',
    UNIQUE (incident_id, policy, recipient)
);
