-- The employer's answer to a day's work line written from attendance (issue 21 item 3): confirm it, or
-- dispute it with a reason, within the configured window (LINGONG_ATTENDANCE_CONFIRM_WINDOW, default
-- 24 h) after the line was written; after that the line stands as recorded. One answer per line.

-- +goose Up
CREATE TABLE attendance_reviews (
    id           ${PK},
    city_code    TEXT NOT NULL DEFAULT '640500',
    entry_id     BIGINT NOT NULL UNIQUE REFERENCES ledger_entries (id),
    contract_id  BIGINT NOT NULL REFERENCES contracts (id),
    decision     TEXT NOT NULL CHECK (decision IN ('confirm', 'dispute')),
    reason       TEXT NOT NULL DEFAULT '',
    actor_kind   TEXT NOT NULL,
    actor_id     BIGINT NOT NULL,
    created_at   ${TIMESTAMP} NOT NULL
);

-- +goose Down
DROP TABLE attendance_reviews;
