-- Text messages through providers: each message in the outbox is also the record of its delivery
-- (template kind and variables with codes masked, our reference sent to the provider, state and the
-- provider's code) and of the question it asked, which an SMS reply answers. Replies are kept once
-- each (a provider repeating a callback finds its reply already there).

-- +goose Up
ALTER TABLE sms_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE sms_outbox ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
ALTER TABLE sms_outbox ADD COLUMN ref TEXT NOT NULL DEFAULT '';
ALTER TABLE sms_outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'sent';
ALTER TABLE sms_outbox ADD COLUMN provider TEXT NOT NULL DEFAULT 'outbox';
ALTER TABLE sms_outbox ADD COLUMN provider_id TEXT NOT NULL DEFAULT '';
ALTER TABLE sms_outbox ADD COLUMN provider_code TEXT NOT NULL DEFAULT '';
ALTER TABLE sms_outbox ADD COLUMN worker_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sms_outbox ADD COLUMN asks TEXT NOT NULL DEFAULT '';
ALTER TABLE sms_outbox ADD COLUMN subject BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sms_outbox ADD COLUMN updated_at ${TIMESTAMP};
CREATE UNIQUE INDEX sms_outbox_ref ON sms_outbox (ref) WHERE ref <> '';
CREATE INDEX sms_outbox_worker ON sms_outbox (worker_id, id);
CREATE INDEX sms_outbox_provider_id ON sms_outbox (provider, provider_id);

CREATE TABLE sms_replies (
    id           ${PK},
    city_code    TEXT NOT NULL DEFAULT '640500',
    provider     TEXT NOT NULL,
    reply_id     TEXT NOT NULL,
    phone        TEXT NOT NULL,
    text         TEXT NOT NULL,
    worker_id    BIGINT NOT NULL DEFAULT 0,
    outcome      TEXT NOT NULL DEFAULT '',
    received_at  ${TIMESTAMP} NOT NULL,
    created_at   ${TIMESTAMP} NOT NULL,
    UNIQUE (provider, reply_id)
);

-- +goose Down
DROP TABLE sms_replies;
DROP INDEX sms_outbox_provider_id;
DROP INDEX sms_outbox_worker;
DROP INDEX sms_outbox_ref;
ALTER TABLE sms_outbox DROP COLUMN updated_at;
ALTER TABLE sms_outbox DROP COLUMN subject;
ALTER TABLE sms_outbox DROP COLUMN asks;
ALTER TABLE sms_outbox DROP COLUMN worker_id;
ALTER TABLE sms_outbox DROP COLUMN provider_code;
ALTER TABLE sms_outbox DROP COLUMN provider_id;
ALTER TABLE sms_outbox DROP COLUMN provider;
ALTER TABLE sms_outbox DROP COLUMN status;
ALTER TABLE sms_outbox DROP COLUMN ref;
ALTER TABLE sms_outbox DROP COLUMN params;
ALTER TABLE sms_outbox DROP COLUMN kind;
