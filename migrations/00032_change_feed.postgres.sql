-- The change feed that keeps every API process's in-memory matching index current when several
-- processes share one PostgreSQL (DESIGN.md sections 4 and 6). A trigger on the two indexed tables
-- sends the changed row's table and id on commit (NOTIFY is transactional), tagged with the schema so
-- databases sharing a server never act on each other's ids. Listeners reload the row and catch up by
-- updated_at after a reconnect. SQLite runs one process and needs none (see the .sqlite.sql twin).

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION lingong_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lingong_changes', current_schema() || ' ' || TG_TABLE_NAME || ' ' || NEW.id);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER jobs_notify_change AFTER INSERT OR UPDATE ON jobs
    FOR EACH ROW EXECUTE FUNCTION lingong_notify_change();
CREATE TRIGGER workers_notify_change AFTER INSERT OR UPDATE ON workers
    FOR EACH ROW EXECUTE FUNCTION lingong_notify_change();

-- +goose Down
DROP TRIGGER workers_notify_change ON workers;
DROP TRIGGER jobs_notify_change ON jobs;
DROP FUNCTION lingong_notify_change();
