-- The wage ledger is append-only (a correction is a new entry) and kept at least 3 years
-- (《保障农民工工资支付条例》 Art. 15). The store never updates or deletes ledger rows; these triggers
-- refuse it for anyone else who reaches the database. SQLite spelling; see the .postgres.sql twin.

-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only: record a correction instead');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_entries_keep_3_years BEFORE DELETE ON ledger_entries
WHEN OLD.created_at > strftime('%Y-%m-%d %H:%M:%S', 'now', '-3 years')
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are kept at least 3 years');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER ledger_entries_keep_3_years;
DROP TRIGGER ledger_entries_no_update;
