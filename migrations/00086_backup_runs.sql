-- Backups of the embedded SQLite database (lingong backup, and the daily backup of LINGONG_BACKUP_DIR):
-- one row per attempt, so the console shows the last success and any failure since.

-- +goose Up
CREATE TABLE backup_runs (
    id           ${PK},
    city_code    TEXT NOT NULL DEFAULT '640500',
    kind         TEXT NOT NULL,                 -- daily | manual
    started_at   ${TIMESTAMP} NOT NULL,
    finished_at  ${TIMESTAMP} NOT NULL,
    ok           BOOLEAN NOT NULL,
    file         TEXT NOT NULL DEFAULT '',      -- the copy written (ok), or the one attempted
    size_bytes   BIGINT NOT NULL DEFAULT 0,
    error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX backup_runs_recent ON backup_runs (ok, finished_at);

-- +goose Down
DROP TABLE backup_runs;
