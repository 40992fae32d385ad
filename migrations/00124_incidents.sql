-- Protection (issue 22), incidents (出险登记): an accident at work recorded by station staff against a
-- contract and a day, with its claim's progress (reported -> claimed -> paid -> closed, only forward, the
-- date of each step kept). Each write recomputes the row's keyed hash (row_hash) and audits it, so an
-- edit made in the database is found by `lingong audit verify`.
-- cover_warnings: one line per worker and working day told the day before that the day has no accident
-- cover (one SMS however many processes run the schedule: the unique key decides).

-- +goose Up
CREATE TABLE incidents (
    id                ${PK},
    city_code         TEXT NOT NULL DEFAULT '640500',
    contract_id       BIGINT NOT NULL REFERENCES contracts (id),
    job_id            BIGINT NOT NULL REFERENCES jobs (id),
    worker_id         BIGINT NOT NULL REFERENCES workers (id),
    employer_id       BIGINT NOT NULL REFERENCES employers (id),
    station_id        BIGINT NOT NULL REFERENCES stations (id),
    occurred_on       TEXT NOT NULL,
    occurred_time     TEXT NOT NULL,
    place             TEXT NOT NULL,
    what              TEXT NOT NULL,
    injuries          TEXT NOT NULL,
    witnesses         TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('reported', 'claimed', 'paid', 'closed')),
    reported_on       TEXT NOT NULL,
    claimed_on        TEXT NOT NULL DEFAULT '',
    paid_on           TEXT NOT NULL DEFAULT '',
    closed_on         TEXT NOT NULL DEFAULT '',
    paid_fen          BIGINT NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
    insurer_reference TEXT NOT NULL DEFAULT '',
    note              TEXT NOT NULL DEFAULT '',
    recorded_by_kind  TEXT NOT NULL,
    recorded_by_id    BIGINT NOT NULL,
    row_hash          TEXT NOT NULL,
    created_at        ${TIMESTAMP} NOT NULL,
    updated_at        ${TIMESTAMP} NOT NULL
);
CREATE INDEX incidents_station ON incidents (station_id, id);
CREATE INDEX incidents_employer ON incidents (employer_id, id);

CREATE TABLE cover_warnings (
    id          ${PK},
    worker_id   BIGINT NOT NULL REFERENCES workers (id),
    work_date   TEXT NOT NULL,
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    created_at  ${TIMESTAMP} NOT NULL,
    UNIQUE (worker_id, work_date)
);

-- +goose Down
DROP TABLE cover_warnings;
DROP TABLE incidents;
