-- SQLite twin of 00210_worker_versions.postgres.sql (read that file for why): a version per worker that
-- changes with the worker row, their skills, certificates and applications, and their station's code.
-- SQLite has one writer at a time, so the bump runs at the change itself; a worker without a row here
-- is at version 0.

-- +goose Up
CREATE TABLE worker_versions (
    worker_id  BIGINT PRIMARY KEY,
    version    BIGINT NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER workers_version_update AFTER UPDATE ON workers BEGIN
    INSERT INTO worker_versions (worker_id, version) VALUES (OLD.id, 1)
        ON CONFLICT (worker_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER workers_version_delete AFTER DELETE ON workers BEGIN
    INSERT INTO worker_versions (worker_id, version) VALUES (OLD.id, 1)
        ON CONFLICT (worker_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER worker_skills_version_insert AFTER INSERT ON worker_skills BEGIN
    INSERT INTO worker_versions (worker_id, version) VALUES (NEW.worker_id, 1)
        ON CONFLICT (worker_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER worker_skills_version_update AFTER UPDATE ON worker_skills BEGIN
    INSERT INTO worker_versions (worker_id, version) VALUES (OLD.worker_id, 1), (NEW.worker_id, 1)
        ON CONFLICT (worker_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER worker_skills_version_delete AFTER DELETE ON worker_skills BEGIN
    INSERT INTO worker_versions (worker_id, version) VALUES (OLD.worker_id, 1)
        ON CONFLICT (worker_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER worker_certs_version_insert AFTER INSERT ON worker_certs BEGIN
    INSERT INTO worker_versions (worker_id, version) VALUES (NEW.worker_id, 1)
        ON CONFLICT (worker_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER worker_certs_version_update AFTER UPDATE ON worker_certs BEGIN
    INSERT INTO worker_versions (worker_id, version) VALUES (OLD.worker_id, 1), (NEW.worker_id, 1)
        ON CONFLICT (worker_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER worker_certs_version_delete AFTER DELETE ON worker_certs BEGIN
    INSERT INTO worker_versions (worker_id, version) VALUES (OLD.worker_id, 1)
        ON CONFLICT (worker_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_version_insert AFTER INSERT ON applications BEGIN
    INSERT INTO worker_versions (worker_id, version) VALUES (NEW.worker_id, 1)
        ON CONFLICT (worker_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_version_update AFTER UPDATE ON applications BEGIN
    INSERT INTO worker_versions (worker_id, version) VALUES (OLD.worker_id, 1), (NEW.worker_id, 1)
        ON CONFLICT (worker_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER applications_version_delete AFTER DELETE ON applications BEGIN
    INSERT INTO worker_versions (worker_id, version) VALUES (OLD.worker_id, 1)
        ON CONFLICT (worker_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER stations_version AFTER UPDATE OF code ON stations WHEN OLD.code IS NOT NEW.code BEGIN
    INSERT INTO worker_versions (worker_id, version) SELECT id, 1 FROM workers WHERE station_id = NEW.id AND true
        ON CONFLICT (worker_id) DO UPDATE SET version = version + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER stations_version;
DROP TRIGGER applications_version_delete;
DROP TRIGGER applications_version_update;
DROP TRIGGER applications_version_insert;
DROP TRIGGER worker_certs_version_delete;
DROP TRIGGER worker_certs_version_update;
DROP TRIGGER worker_certs_version_insert;
DROP TRIGGER worker_skills_version_delete;
DROP TRIGGER worker_skills_version_update;
DROP TRIGGER worker_skills_version_insert;
DROP TRIGGER workers_version_delete;
DROP TRIGGER workers_version_update;
DROP TABLE worker_versions;
