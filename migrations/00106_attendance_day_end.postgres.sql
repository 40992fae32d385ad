-- A missing check-out (issue 21 item 4): at the day's end the system writes the check-out of a worker who
-- checked in but never checked out, at the end of the contract's shift, with source 'day_end' (flagged
-- 缺签退 for the employer to confirm or dispute). PostgreSQL spelling; see the .sqlite.sql twin.

-- +goose Up
ALTER TABLE attendance_events DROP CONSTRAINT attendance_events_source_check;
ALTER TABLE attendance_events ADD CONSTRAINT attendance_events_source_check
    CHECK (source IN ('worker', 'recorder', 'staff', 'employer_clock', 'day_end'));

-- +goose Down
ALTER TABLE attendance_events DROP CONSTRAINT attendance_events_source_check;
ALTER TABLE attendance_events ADD CONSTRAINT attendance_events_source_check
    CHECK (source IN ('worker', 'recorder', 'staff', 'employer_clock'));
