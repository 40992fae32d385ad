-- The wage terms the ledger computes with, copied from the frozen terms when a contract (or an
-- amendment) is created, so a work record's amount is computed from what was signed, never typed.
-- And arrears alerts (欠薪预警): one per contract and due date, raised when earned pay is unpaid past
-- its due date, cleared when it is paid.

-- +goose Up
ALTER TABLE contracts ADD COLUMN wage_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contracts ADD COLUMN wage_unit TEXT NOT NULL DEFAULT 'day';
ALTER TABLE contracts ADD COLUMN settlement TEXT NOT NULL DEFAULT 'daily';
ALTER TABLE contracts ADD COLUMN start_date TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN end_date TEXT NOT NULL DEFAULT '';

CREATE TABLE arrears_alerts (
    id           ${PK},
    city_code    TEXT NOT NULL DEFAULT '640500',
    contract_id  BIGINT NOT NULL REFERENCES contracts (id),
    employer_id  BIGINT NOT NULL REFERENCES employers (id),
    station_id   BIGINT NOT NULL REFERENCES stations (id),
    due_date     TEXT NOT NULL,
    amount_fen   BIGINT NOT NULL CHECK (amount_fen > 0),   -- unpaid amount when last computed
    raised_at    ${TIMESTAMP} NOT NULL,
    cleared_at   ${TIMESTAMP},
    cleared_by   BIGINT REFERENCES staff (id),               -- staff who cleared it by hand (else paid)
    UNIQUE (contract_id, due_date)
);
CREATE INDEX arrears_open ON arrears_alerts (station_id, cleared_at);
CREATE INDEX arrears_employer ON arrears_alerts (employer_id, cleared_at);

-- +goose Down
DROP TABLE arrears_alerts;
ALTER TABLE contracts DROP COLUMN end_date;
ALTER TABLE contracts DROP COLUMN start_date;
ALTER TABLE contracts DROP COLUMN settlement;
ALTER TABLE contracts DROP COLUMN wage_unit;
ALTER TABLE contracts DROP COLUMN wage_fen;
