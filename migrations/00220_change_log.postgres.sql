-- The change feed without NOTIFY inside business transactions. A NOTIFY takes PostgreSQL's one
-- cluster-wide notify lock at commit and holds it until the commit record is on disk, so every
-- transaction that touched jobs or workers (every registration) waited for the previous one's disk
-- flush: no group commit. Now the triggers of 00032 (same names) append a row to change_log in the
-- writing transaction; the process that committed sends a payload-free wake-up afterwards, outside the
-- business transaction and without waiting for the disk, and every process reads change_log from where
-- it stopped (and polls it, so a lost wake-up only delays). xid is the writing transaction's id: a
-- reader re-reads every row of transactions that were still running at its previous read (those at or
-- above that read's snapshot xmin), so a row that commits after a later one is never skipped
-- (store/changes.go). Rows are deleted after a day.

-- +goose Up
CREATE TABLE change_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    xid BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    table_name TEXT NOT NULL,
    row_id BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX change_log_xid ON change_log (xid);
CREATE INDEX change_log_created_at ON change_log (created_at);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION lingong_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_log (table_name, row_id) VALUES (TG_TABLE_NAME, NEW.id);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION lingong_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lingong_changes', current_schema() || ' ' || TG_TABLE_NAME || ' ' || NEW.id);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
DROP TABLE change_log;
