-- Issue 18, items 1 and 2.
--
-- Offers: an employer's invitation is only an offer the worker answers (applications with origin
-- 'invited' and status 'pending'); a worker may report one, and the report goes to the staff of the
-- worker's station.
--
-- ID numbers: a worker's claim to an ID number another worker holds is recorded here, never answered
-- (the self-service answer is the same either way); the staff of the claimant's station settle it in
-- person. A number staff checked against the card is "verified" and only staff change it. And the one
-- masked form keeps the first 3 and last 2 characters (640*************3X).

-- +goose Up
CREATE TABLE offer_reports (
    id              ${PK},
    city_code       TEXT NOT NULL DEFAULT '640500',
    application_id  BIGINT NOT NULL UNIQUE REFERENCES applications (id),
    worker_id       BIGINT NOT NULL REFERENCES workers (id),
    station_id      BIGINT NOT NULL REFERENCES stations (id),   -- the worker's station, whose staff see it
    employer_id     BIGINT NOT NULL REFERENCES employers (id),
    job_id          BIGINT NOT NULL REFERENCES jobs (id),
    reason          TEXT NOT NULL DEFAULT '',
    created_at      ${TIMESTAMP} NOT NULL,
    handled_at      ${TIMESTAMP},
    handled_by      BIGINT REFERENCES staff (id)
);
CREATE INDEX offer_reports_open ON offer_reports (station_id, handled_at);

CREATE TABLE id_conflicts (
    id                ${PK},
    city_code         TEXT NOT NULL DEFAULT '640500',
    worker_id         BIGINT NOT NULL REFERENCES workers (id),    -- the claimant
    holder_id         BIGINT NOT NULL REFERENCES workers (id),    -- who held the number when claimed
    station_id        BIGINT NOT NULL REFERENCES stations (id),   -- the claimant's station
    id_number_enc     TEXT NOT NULL,                              -- AES-GCM, as workers.id_number_enc
    id_number_index   TEXT NOT NULL,                              -- HMAC blind index
    id_number_masked  TEXT NOT NULL,
    created_at        ${TIMESTAMP} NOT NULL,
    resolved_at       ${TIMESTAMP},
    resolved_by       BIGINT REFERENCES staff (id),
    resolution        TEXT NOT NULL DEFAULT '' CHECK (resolution IN ('', 'claimant', 'holder'))
);
CREATE INDEX id_conflicts_open ON id_conflicts (station_id, resolved_at);
CREATE INDEX id_conflicts_worker ON id_conflicts (worker_id, resolved_at);

ALTER TABLE workers ADD COLUMN id_verified_at ${TIMESTAMP};

UPDATE workers SET id_number_masked = substr(id_number_masked, 1, 3) || '*************' || substr(id_number_masked, 17, 2)
    WHERE length(id_number_masked) = 18;
UPDATE employers SET id_number_masked = substr(id_number_masked, 1, 3) || '*************' || substr(id_number_masked, 17, 2)
    WHERE length(id_number_masked) = 18;

-- +goose Down
ALTER TABLE workers DROP COLUMN id_verified_at;
DROP TABLE id_conflicts;
DROP TABLE offer_reports;
