-- No-shows (issue 21 item 5): a worker who has not checked in by the contract day's start plus the grace
-- (LINGONG_NOSHOW_GRACE) is marked absent, once per contract-day (UNIQUE, so the sweep is idempotent).
-- The employer or the station then confirms it (it counts in workers.no_shows, which the matcher weighs)
-- or corrects it (the worker was there); once. Every change is audited.

-- +goose Up
CREATE TABLE no_shows (
    id               ${PK},
    city_code        TEXT NOT NULL DEFAULT '640500',
    contract_id      BIGINT NOT NULL REFERENCES contracts (id),
    job_id           BIGINT NOT NULL REFERENCES jobs (id),
    worker_id        BIGINT NOT NULL REFERENCES workers (id),
    work_date        TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('marked', 'confirmed', 'corrected')),
    reason           TEXT NOT NULL DEFAULT '',
    decided_by_kind  TEXT NOT NULL DEFAULT '',
    decided_by_id    BIGINT NOT NULL DEFAULT 0,
    marked_at        ${TIMESTAMP} NOT NULL,
    decided_at       ${TIMESTAMP},
    UNIQUE (contract_id, work_date)
);
CREATE INDEX no_shows_job_day ON no_shows (job_id, work_date);

-- +goose Down
DROP TABLE no_shows;
