-- Tamper evidence that covers money (issue 18 item 5). Each ledger line is chained to the one before it
-- in its contract: line_hash is a keyed hash (HMAC, key derived from LINGONG_SECRET_KEY, never stored
-- here) over the line and prev_hash, so a line INSERTed or edited straight in the database is found by
-- `lingong audit verify`. The Go migration 00061 (store/evidence_migration.go) seals the lines that
-- exist and re-keys the audit chain; the append-only trigger is lifted for it and put back by 00062.
-- evidence_checks keeps each run of the verification with the audit chain's head at that moment: the
-- console shows it and the daily report prints it, so even a rewrite by someone who stole the key is
-- caught against an older printout. SQLite spelling; see the .postgres.sql twin.

-- +goose Up
ALTER TABLE ledger_entries ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_entries ADD COLUMN line_hash TEXT NOT NULL DEFAULT '';
DROP TRIGGER ledger_entries_no_update;

CREATE TABLE evidence_checks (
    id          ${PK},
    city_code   TEXT NOT NULL DEFAULT '640500',
    checked_at  ${TIMESTAMP} NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('sweep', 'command')),
    intact      BOOLEAN NOT NULL,
    problems    TEXT NOT NULL DEFAULT '[]',   -- JSON array of Chinese findings
    contracts   BIGINT NOT NULL DEFAULT 0,    -- how many contracts were checked
    ledger_lines BIGINT NOT NULL DEFAULT 0,
    head_id     BIGINT NOT NULL DEFAULT 0,    -- the audit chain's last event when checked
    head_hash   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX evidence_checks_at ON evidence_checks (checked_at);

-- +goose Down
DROP TABLE evidence_checks;
-- +goose StatementBegin
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only: record a correction instead');
END;
-- +goose StatementEnd
ALTER TABLE ledger_entries DROP COLUMN line_hash;
ALTER TABLE ledger_entries DROP COLUMN prev_hash;
