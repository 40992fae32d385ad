-- Ending a started contract early (提前结束; a follow-up of issue 21's cancellations). The employer,
-- the worker or the issuing station (recording what both sides agreed there) sets the contract's last
-- working day before its end: contracts.end_date becomes that day, so every reader of the period (roster,
-- attendance, the no-show sweep, expiry, the dashboard) follows, while the signed terms and their hash
-- stay as signed. Each ending is one row here: the end date before it, the new last day, on whose behalf
-- (by_party), who recorded it and why. A contract may be ended again later, only shorter (several rows).

-- +goose Up
CREATE TABLE contract_endings (
    id               ${PK},
    city_code        TEXT NOT NULL DEFAULT '640500',
    contract_id      BIGINT NOT NULL REFERENCES contracts (id),
    job_id           BIGINT NOT NULL REFERENCES jobs (id),
    worker_id        BIGINT NOT NULL REFERENCES workers (id),
    by_party         TEXT NOT NULL CHECK (by_party IN ('employer', 'worker', 'station')),
    previous_end     TEXT NOT NULL,
    last_day         TEXT NOT NULL,
    reason           TEXT NOT NULL DEFAULT '',
    voided_no_shows  INTEGER NOT NULL DEFAULT 0,
    recorded_by_kind TEXT NOT NULL,
    recorded_by_id   BIGINT NOT NULL DEFAULT 0,
    created_at       ${TIMESTAMP} NOT NULL,
    CHECK (last_day < previous_end)
);
CREATE INDEX contract_endings_contract ON contract_endings (contract_id);

-- +goose Down
DROP TABLE contract_endings;
