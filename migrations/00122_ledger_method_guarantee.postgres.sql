-- Protection (issue 22): a ledger payment may be made from the employer's wage guarantee (先行垫付),
-- method 'guarantee'. PostgreSQL spelling; see the .sqlite.sql twin.

-- +goose Up
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_method_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_method_check
    CHECK (method IN ('', 'cash', 'wechat', 'alipay', 'bank', 'social_security_card', 'guarantee'));

-- +goose Down
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_method_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_method_check
    CHECK (method IN ('', 'cash', 'wechat', 'alipay', 'bank', 'social_security_card'));
