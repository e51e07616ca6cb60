-- How far each source with its own position scheme (the journal's cursor)
-- has been read. Written in the same transaction as the incidents its
-- entries produced.
CREATE TABLE source_cursors (
    source     TEXT    PRIMARY KEY,
    cursor     TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
