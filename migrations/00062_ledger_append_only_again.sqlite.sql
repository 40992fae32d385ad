-- Puts back the ledger's append-only trigger that 00060 lifted for the Go migration 00061 to seal the
-- existing lines (see 00031). SQLite spelling; see the .postgres.sql twin.

-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only: record a correction instead');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER ledger_entries_no_update;
