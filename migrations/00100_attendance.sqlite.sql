-- Attendance at the site (issue 21): each check-in and check-out is an append-only event. A contract-day
-- has at most one check-in and one check-out (UNIQUE), which also makes a double tap or a retry land
-- once. at is the server's clock when the event was received; device_at is the phone's own clock when it
-- was offline and submitted later (offline = 1, flagged for the employer). Where the phone was is never
-- kept: only its distance from the site in metres and whether that is beyond the radius (far). Events of
-- a contract are chained with a keyed hash (line_hash over the event and prev_hash), and each one's audit
-- event records that hash, as ledger lines are (store/evidence.go). SQLite spelling; see the
-- .postgres.sql twin.

-- +goose Up
CREATE TABLE attendance_events (
    id               ${PK},
    city_code        TEXT NOT NULL DEFAULT '640500',
    contract_id      BIGINT NOT NULL REFERENCES contracts (id),
    job_id           BIGINT NOT NULL REFERENCES jobs (id),
    worker_id        BIGINT NOT NULL REFERENCES workers (id),
    work_date        TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    at               ${TIMESTAMP} NOT NULL,
    device_at        ${TIMESTAMP},
    offline          BOOLEAN NOT NULL DEFAULT FALSE,
    distance_m       BIGINT,
    far              BOOLEAN NOT NULL DEFAULT FALSE,
    source           TEXT NOT NULL CHECK (source IN ('worker', 'recorder', 'staff', 'employer_clock')),
    recorded_by_kind TEXT NOT NULL,
    recorded_by_id   BIGINT NOT NULL DEFAULT 0,
    ledger_entry_id  BIGINT REFERENCES ledger_entries (id), -- a check-out's work line, when it earned one
    prev_hash        TEXT NOT NULL,
    line_hash        TEXT NOT NULL,
    created_at       ${TIMESTAMP} NOT NULL,
    UNIQUE (contract_id, work_date, kind)
);
CREATE INDEX attendance_job_day ON attendance_events (job_id, work_date);
CREATE INDEX attendance_worker_day ON attendance_events (worker_id, work_date);
-- +goose StatementBegin
CREATE TRIGGER attendance_events_no_update BEFORE UPDATE ON attendance_events
BEGIN
    SELECT RAISE(ABORT, 'attendance events are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER attendance_events_keep_3_years BEFORE DELETE ON attendance_events
WHEN OLD.created_at > strftime('%Y-%m-%d %H:%M:%S', 'now', '-3 years')
BEGIN
    SELECT RAISE(ABORT, 'attendance events are kept at least 3 years');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE attendance_events;
