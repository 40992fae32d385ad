-- Cancellations (issue 21 item 5): an employer who cancels within the notice window owes the contract's
-- cancellation amount, written to the ledger as a line of kind 'cancellation' that counts as owed, as
-- work does (balance, arrears, payroll). PostgreSQL spelling; see the .sqlite.sql twin.

-- +goose Up
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('work', 'payment', 'correction', 'cancellation'));

-- +goose Down
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('work', 'payment', 'correction'));
