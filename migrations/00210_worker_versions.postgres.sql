-- A version number per worker that changes with everything GET /api/v1/workers/me/matches reads about
-- the caller: the worker row, their skills and certificates, their applications, their station's code.
-- The session query reads it with the session (store/hotreads.go), so a process may keep the worker's
-- profile and live applications keyed by (worker, version) and still never answer from an older state
-- than the database's: any change, through any process or by hand in psql, makes a new version.
--
-- A worker without a row here is at version 0 (the row appears with the first change). There is no
-- foreign key to workers: its check would take a share lock on the worker row, which the accept path
-- locks FOR UPDATE.
--
-- Lock order: the bump is a deferred constraint trigger, so it runs at commit, after every other lock
-- the transaction takes (worker rows FOR UPDATE, gig rows, the audit chain's advisory lock). Bumping at
-- the change itself would lock the version row early and deadlock with a transaction that holds a gig
-- or the audit lock and then changes the same worker (a gig's cancellation, say). Audited writes hold
-- the audit lock until commit, so two of them never bump at the same time. A transaction bumps a worker
-- once however many rows it changes (the row's xmin is its own), and a tag or application of a worker
-- created or changed in the same transaction bumps nothing more (the worker's own event does, or the
-- worker is new: nobody can have read an older version).

-- +goose Up
CREATE TABLE worker_versions (
    worker_id  BIGINT PRIMARY KEY,
    version    BIGINT NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION lingong_bump_worker_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids BIGINT[];
    wid BIGINT;
BEGIN
    IF TG_TABLE_NAME = 'workers' THEN
        ids := ARRAY[OLD.id];
    ELSIF TG_TABLE_NAME = 'stations' THEN
        ids := ARRAY(SELECT id FROM workers WHERE station_id = NEW.id ORDER BY id);
    ELSIF TG_OP = 'INSERT' THEN
        ids := ARRAY[NEW.worker_id];
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY[OLD.worker_id];
    ELSE
        ids := ARRAY[OLD.worker_id, NEW.worker_id];
    END IF;
    FOREACH wid IN ARRAY ids LOOP
        IF TG_TABLE_NAME IN ('worker_skills', 'worker_certs', 'applications')
            AND EXISTS (SELECT 1 FROM workers WHERE id = wid AND xmin = pg_current_xact_id()::xid) THEN
            CONTINUE;
        END IF;
        INSERT INTO worker_versions AS v (worker_id, version) VALUES (wid, 1)
            ON CONFLICT (worker_id) DO UPDATE SET version = v.version + 1
            WHERE v.xmin <> pg_current_xact_id()::xid;
    END LOOP;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER workers_version AFTER UPDATE OR DELETE ON workers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION lingong_bump_worker_version();
CREATE CONSTRAINT TRIGGER worker_skills_version AFTER INSERT OR UPDATE OR DELETE ON worker_skills
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION lingong_bump_worker_version();
CREATE CONSTRAINT TRIGGER worker_certs_version AFTER INSERT OR UPDATE OR DELETE ON worker_certs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION lingong_bump_worker_version();
CREATE CONSTRAINT TRIGGER applications_version AFTER INSERT OR UPDATE OR DELETE ON applications
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION lingong_bump_worker_version();
CREATE CONSTRAINT TRIGGER stations_version AFTER UPDATE OF code ON stations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code)
    EXECUTE FUNCTION lingong_bump_worker_version();

-- +goose Down
DROP TRIGGER stations_version ON stations;
DROP TRIGGER applications_version ON applications;
DROP TRIGGER worker_certs_version ON worker_certs;
DROP TRIGGER worker_skills_version ON worker_skills;
DROP TRIGGER workers_version ON workers;
DROP FUNCTION lingong_bump_worker_version();
DROP TABLE worker_versions;
