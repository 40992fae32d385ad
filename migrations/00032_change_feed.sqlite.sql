-- SQLite twin of 00032_change_feed.postgres.sql: one process serves an SQLite database and updates
-- its index directly, so there is no change feed to create. The version is recorded all the same.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
