-- Protection (issue 22), the wage guarantee (工资保证金): an append-only, hash-chained account per
-- employer. deposit and repay lines come from a bank receipt and count once a confirm line (by a
-- second staff member or an admin) names them; advance lines are 先行垫付 paid to a worker through the
-- ledger (method guarantee); refund lines return what is unused after the employer's last gig. Each line
-- is chained to the employer's previous line with a keyed hash (like ledger lines), and audited.
-- The admin's rule for when a guarantee is required joins protection_settings.

-- +goose Up
ALTER TABLE protection_settings ADD COLUMN guarantee_companies BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE protection_settings ADD COLUMN guarantee_after_arrears BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE protection_settings ADD COLUMN guarantee_wage_bill_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE protection_settings ADD COLUMN guarantee_percent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE protection_settings ADD COLUMN advance_after_days BIGINT NOT NULL DEFAULT 0;

CREATE TABLE guarantee_entries (
    id               ${PK},
    city_code        TEXT NOT NULL DEFAULT '640500',
    employer_id      BIGINT NOT NULL REFERENCES employers (id),
    kind             TEXT NOT NULL CHECK (kind IN ('deposit', 'repay', 'confirm', 'advance', 'refund')),
    amount_fen       BIGINT NOT NULL CHECK (amount_fen >= 0),
    bank_reference   TEXT NOT NULL DEFAULT '',
    value_date       TEXT NOT NULL DEFAULT '',
    confirms_id      BIGINT REFERENCES guarantee_entries (id),
    contract_id      BIGINT REFERENCES contracts (id),
    ledger_entry_id  BIGINT REFERENCES ledger_entries (id),
    alert_id         BIGINT REFERENCES arrears_alerts (id),
    note             TEXT NOT NULL DEFAULT '',
    recorded_by_kind TEXT NOT NULL,
    recorded_by_id   BIGINT NOT NULL,
    prev_hash        TEXT NOT NULL,
    line_hash        TEXT NOT NULL,
    created_at       ${TIMESTAMP} NOT NULL
);
CREATE INDEX guarantee_entries_employer ON guarantee_entries (employer_id, id);
CREATE UNIQUE INDEX guarantee_entries_one_confirm ON guarantee_entries (confirms_id);

-- +goose Down
DROP TABLE guarantee_entries;
ALTER TABLE protection_settings DROP COLUMN advance_after_days;
ALTER TABLE protection_settings DROP COLUMN guarantee_percent;
ALTER TABLE protection_settings DROP COLUMN guarantee_wage_bill_fen;
ALTER TABLE protection_settings DROP COLUMN guarantee_after_arrears;
ALTER TABLE protection_settings DROP COLUMN guarantee_companies;
