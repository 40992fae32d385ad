-- Attendance at the site (issue 21): see the .sqlite.sql twin for what each column means. PostgreSQL
-- spelling of the append-only triggers.

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
CREATE FUNCTION attendance_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'attendance events are append-only';
    END IF;
    IF TG_OP = 'TRUNCATE' OR OLD.created_at > now() - interval '3 years' THEN
        RAISE EXCEPTION 'attendance events are kept at least 3 years';
    END IF;
    RETURN OLD;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER attendance_events_append_only BEFORE UPDATE OR DELETE ON attendance_events
    FOR EACH ROW EXECUTE FUNCTION attendance_append_only();
CREATE TRIGGER attendance_events_no_truncate BEFORE TRUNCATE ON attendance_events
    FOR EACH STATEMENT EXECUTE FUNCTION attendance_append_only();

-- +goose Down
DROP TABLE attendance_events;
DROP FUNCTION attendance_append_only();
