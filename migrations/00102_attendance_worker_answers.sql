-- The worker's answer to a check-in or check-out the employer's own time clock recorded (issue 21 item
-- 6): such a record is the employer's word until the worker confirms it, or disputes it with a reason
-- (the station settles disputes). One answer per event.

-- +goose Up
CREATE TABLE attendance_answers (
    id          ${PK},
    city_code   TEXT NOT NULL DEFAULT '640500',
    event_id    BIGINT NOT NULL UNIQUE REFERENCES attendance_events (id),
    worker_id   BIGINT NOT NULL REFERENCES workers (id),
    decision    TEXT NOT NULL CHECK (decision IN ('confirm', 'dispute')),
    reason      TEXT NOT NULL DEFAULT '',
    created_at  ${TIMESTAMP} NOT NULL
);

-- +goose Down
DROP TABLE attendance_answers;
