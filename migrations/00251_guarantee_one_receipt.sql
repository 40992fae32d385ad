-- One bank receipt counts once (security review R3): a receipt's serial number (bank_reference, stored
-- without spaces and in capitals) may back one deposit, repayment or refund of one employer, never two
-- lines, whatever their kinds or employers.

-- +goose Up
CREATE UNIQUE INDEX guarantee_entries_one_receipt ON guarantee_entries (bank_reference) WHERE kind IN ('deposit', 'repay', 'refund');

-- +goose Down
DROP INDEX guarantee_entries_one_receipt;
