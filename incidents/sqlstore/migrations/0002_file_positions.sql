-- How far each followed log file has been read. Written in the same
-- transaction as the incidents its lines produced.
CREATE TABLE file_positions (
    path       TEXT    PRIMARY KEY,
    dev        INTEGER NOT NULL,
    ino        INTEGER NOT NULL,
    offset     INTEGER NOT NULL,
    fp_len     INTEGER NOT NULL,
    fp_sha256  BLOB    NOT NULL,
    updated_at INTEGER NOT NULL
);
