-- SQLite twin of 00220_change_log.postgres.sql: one process serves an SQLite database and updates its
-- index directly, so nothing writes or reads change_log here; the table exists so that both engines
-- have the same schema.

-- +goose Up
CREATE TABLE change_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    xid BIGINT NOT NULL DEFAULT 0,
    table_name TEXT NOT NULL,
    row_id BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- +goose Down
DROP TABLE change_log;
