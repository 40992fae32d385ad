-- Protection (issue 22), cover: each gig's accident cover (the employer's own policy with a scan the
-- reviewing staff check, the city's group policy, or a staff exemption with its reason), and the admin's
-- settings (whether approval requires cover; the city's group policy). One row per gig; a new
-- declaration replaces the row (the audit chain keeps each one). The scan is base64 text so one spelling
-- serves both engines.

-- +goose Up
CREATE TABLE protection_settings (
    id                 BIGINT PRIMARY KEY,          -- always 1
    city_code          TEXT NOT NULL DEFAULT '640500',
    cover_required     BOOLEAN NOT NULL DEFAULT FALSE,
    city_insurer       TEXT NOT NULL DEFAULT '',
    city_policy_number TEXT NOT NULL DEFAULT '',
    city_cover_fen     BIGINT NOT NULL DEFAULT 0 CHECK (city_cover_fen >= 0),
    city_valid_from    TEXT NOT NULL DEFAULT '',
    city_valid_to      TEXT NOT NULL DEFAULT '',
    city_terms         TEXT NOT NULL DEFAULT '',
    updated_by         BIGINT NOT NULL DEFAULT 0,
    updated_at         ${TIMESTAMP}
);

CREATE TABLE job_covers (
    id               ${PK},
    city_code        TEXT NOT NULL DEFAULT '640500',
    job_id           BIGINT NOT NULL UNIQUE REFERENCES jobs (id),
    kind             TEXT NOT NULL CHECK (kind IN ('own', 'city', 'exempt')),
    insurer          TEXT NOT NULL DEFAULT '',
    policy_number    TEXT NOT NULL DEFAULT '',
    cover_fen        BIGINT NOT NULL DEFAULT 0 CHECK (cover_fen >= 0),
    valid_from       TEXT NOT NULL DEFAULT '',
    valid_to         TEXT NOT NULL DEFAULT '',
    scan_type        TEXT NOT NULL DEFAULT '',
    scan_base64      TEXT NOT NULL DEFAULT '',
    scan_sha256      TEXT NOT NULL DEFAULT '',
    checked_by       BIGINT NOT NULL DEFAULT 0,
    checked_at       ${TIMESTAMP},
    exemption_reason TEXT NOT NULL DEFAULT '',
    exempted_by      BIGINT NOT NULL DEFAULT 0,
    declared_by_kind TEXT NOT NULL DEFAULT '',
    declared_by_id   BIGINT NOT NULL DEFAULT 0,
    created_at       ${TIMESTAMP} NOT NULL,
    updated_at       ${TIMESTAMP} NOT NULL
);
CREATE INDEX job_covers_kind ON job_covers (kind);

-- +goose Down
DROP TABLE job_covers;
DROP TABLE protection_settings;
