-- Cancellations and contests (issue 21 item 5). A contract cancelled before its first day starts, by the
-- employer (or its issuing station for it) or withdrawn by the worker, is recorded once (UNIQUE contract):
-- when, the first day's start it was measured against, whether it came within the notice window
-- (LINGONG_CANCEL_NOTICE), and what it caused: the employer's cancellation line in the ledger
-- (ledger_entry_id) or the worker's no-show (no_show_id). A no-show from a late withdrawal has origin
-- 'withdrawal'; the sweep's have 'sweep'. A confirmed no-show contested by the worker at the station
-- carries the station's decision (contest: upheld, it no longer counts; rejected, it stands).

-- +goose Up
CREATE TABLE contract_cancellations (
    id               ${PK},
    city_code        TEXT NOT NULL DEFAULT '640500',
    contract_id      BIGINT NOT NULL UNIQUE REFERENCES contracts (id),
    job_id           BIGINT NOT NULL REFERENCES jobs (id),
    worker_id        BIGINT NOT NULL REFERENCES workers (id),
    by_party         TEXT NOT NULL CHECK (by_party IN ('employer', 'worker')),
    first_day        TEXT NOT NULL,
    starts_at        ${TIMESTAMP} NOT NULL,
    late             BOOLEAN NOT NULL DEFAULT FALSE,
    fee_fen          BIGINT NOT NULL DEFAULT 0,
    ledger_entry_id  BIGINT REFERENCES ledger_entries (id),
    no_show_id       BIGINT REFERENCES no_shows (id),
    reason           TEXT NOT NULL DEFAULT '',
    recorded_by_kind TEXT NOT NULL,
    recorded_by_id   BIGINT NOT NULL DEFAULT 0,
    created_at       ${TIMESTAMP} NOT NULL
);
CREATE INDEX contract_cancellations_job ON contract_cancellations (job_id);
ALTER TABLE no_shows ADD COLUMN origin TEXT NOT NULL DEFAULT 'sweep' CHECK (origin IN ('sweep', 'withdrawal'));
ALTER TABLE no_shows ADD COLUMN contest TEXT NOT NULL DEFAULT '' CHECK (contest IN ('', 'upheld', 'rejected'));
ALTER TABLE no_shows ADD COLUMN contest_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE no_shows ADD COLUMN contested_by_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE no_shows ADD COLUMN contested_at ${TIMESTAMP};

-- +goose Down
ALTER TABLE no_shows DROP COLUMN contested_at;
ALTER TABLE no_shows DROP COLUMN contested_by_id;
ALTER TABLE no_shows DROP COLUMN contest_reason;
ALTER TABLE no_shows DROP COLUMN contest;
ALTER TABLE no_shows DROP COLUMN origin;
DROP TABLE contract_cancellations;
