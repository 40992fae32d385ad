-- Skills and certificates are an open vocabulary: a tag that is not a trade or licence of the taxonomy
-- is kept as written (a free tag, matched by its text), so the tag tables no longer reference the
-- taxonomy tables.

-- +goose Up
ALTER TABLE worker_skills DROP CONSTRAINT IF EXISTS worker_skills_skill_fkey;
ALTER TABLE worker_certs DROP CONSTRAINT IF EXISTS worker_certs_cert_fkey;
ALTER TABLE job_skills DROP CONSTRAINT IF EXISTS job_skills_skill_fkey;
ALTER TABLE job_certs DROP CONSTRAINT IF EXISTS job_certs_cert_fkey;

-- +goose Down
ALTER TABLE worker_skills ADD CONSTRAINT worker_skills_skill_fkey FOREIGN KEY (skill) REFERENCES skills (name);
ALTER TABLE worker_certs ADD CONSTRAINT worker_certs_cert_fkey FOREIGN KEY (cert) REFERENCES certificates (name);
ALTER TABLE job_skills ADD CONSTRAINT job_skills_skill_fkey FOREIGN KEY (skill) REFERENCES skills (name);
ALTER TABLE job_certs ADD CONSTRAINT job_certs_cert_fkey FOREIGN KEY (cert) REFERENCES certificates (name);
