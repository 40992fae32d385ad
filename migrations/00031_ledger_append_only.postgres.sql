-- The wage ledger is append-only (a correction is a new entry) and kept at least 3 years
-- (《保障农民工工资支付条例》 Art. 15). The store never updates or deletes ledger rows; these triggers
-- refuse it for anyone else who reaches the database, TRUNCATE included. PostgreSQL spelling; see the
-- .sqlite.sql twin.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'ledger entries are append-only: record a correction instead';
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'ledger entries are kept at least 3 years';
    END IF;
    IF OLD.created_at > now() - interval '3 years' THEN
        RAISE EXCEPTION 'ledger entries are kept at least 3 years';
    END IF;
    RETURN OLD;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

-- +goose Down
DROP TRIGGER ledger_entries_no_truncate ON ledger_entries;
DROP TRIGGER ledger_entries_append_only ON ledger_entries;
DROP FUNCTION ledger_append_only();
