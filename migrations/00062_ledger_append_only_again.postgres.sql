-- Puts back the ledger's append-only trigger that 00060 lifted for the Go migration 00061 to seal the
-- existing lines (see 00031). PostgreSQL spelling; see the .sqlite.sql twin.

-- +goose Up
ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only;

-- +goose Down
ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only;
