-- SQLite twin of 00035_free_tags.postgres.sql. SQLite cannot drop a constraint, so each tag table is
-- rebuilt without its reference to the taxonomy, keeping its rows and indexes.

-- +goose Up
CREATE TABLE worker_skills_new (
    worker_id  BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    skill      TEXT NOT NULL,
    PRIMARY KEY (worker_id, skill)
);
INSERT INTO worker_skills_new SELECT worker_id, skill FROM worker_skills;
DROP TABLE worker_skills;
ALTER TABLE worker_skills_new RENAME TO worker_skills;
CREATE INDEX worker_skills_skill ON worker_skills (skill);

CREATE TABLE worker_certs_new (
    worker_id  BIGINT NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    cert       TEXT NOT NULL,
    PRIMARY KEY (worker_id, cert)
);
INSERT INTO worker_certs_new SELECT worker_id, cert FROM worker_certs;
DROP TABLE worker_certs;
ALTER TABLE worker_certs_new RENAME TO worker_certs;

CREATE TABLE job_skills_new (
    job_id  BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    skill   TEXT NOT NULL,
    PRIMARY KEY (job_id, skill)
);
INSERT INTO job_skills_new SELECT job_id, skill FROM job_skills;
DROP TABLE job_skills;
ALTER TABLE job_skills_new RENAME TO job_skills;
CREATE INDEX job_skills_skill ON job_skills (skill);

CREATE TABLE job_certs_new (
    job_id  BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    cert    TEXT NOT NULL,
    PRIMARY KEY (job_id, cert)
);
INSERT INTO job_certs_new SELECT job_id, cert FROM job_certs;
DROP TABLE job_certs;
ALTER TABLE job_certs_new RENAME TO job_certs;

-- +goose Down
SELECT 1;
