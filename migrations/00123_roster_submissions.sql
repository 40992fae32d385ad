-- Protection (issue 22): each submission of a date's insured roster to the insurer. Batch 1 is the
-- roster made before the cut-off for the next day; later batches carry only the people added since (late
-- additions). A batch is made once and resent under the same key until the insurer answers; the first
-- answer's receipt is kept and a second answer changes nothing.

-- +goose Up
CREATE TABLE roster_submissions (
    id            ${PK},
    city_code     TEXT NOT NULL DEFAULT '640500',
    work_date     TEXT NOT NULL,
    batch         BIGINT NOT NULL CHECK (batch >= 1),
    idem_key      TEXT NOT NULL UNIQUE,
    contract_ids  TEXT NOT NULL,                 -- JSON array: the contracts this batch carries
    lines         BIGINT NOT NULL,
    driver        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
    attempts      BIGINT NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    receipt_ref   TEXT NOT NULL DEFAULT '',
    receipt       TEXT NOT NULL DEFAULT '',
    created_at    ${TIMESTAMP} NOT NULL,
    sent_at       ${TIMESTAMP},
    UNIQUE (work_date, batch)
);

-- +goose Down
DROP TABLE roster_submissions;
