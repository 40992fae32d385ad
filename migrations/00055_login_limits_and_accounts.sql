-- Console logins limited per client address across usernames, staff accounts an admin manages, and
-- API keys that may manage keys.
--
-- login_failures: one row per console login attempt that has not (yet) succeeded, written BEFORE the
-- password is checked; a successful login deletes its own row. Counting an address's rows of the last
-- 15 minutes therefore bounds how many passwords one address may try, across usernames, even when
-- hundreds of attempts arrive at once.
--
-- staff.must_change_password: set when an admin resets an account's password; the account can do
-- nothing but change it until it does.
--
-- api_keys.is_admin: the key an employer's administrator holds; only it (or station staff) may create,
-- rotate or revoke the employer's keys. The first key of every employer (made with the employer) is one.

-- +goose Up
CREATE TABLE login_failures (
    id          ${PK},
    ip          TEXT NOT NULL,
    username    TEXT NOT NULL DEFAULT '',
    created_at  ${TIMESTAMP} NOT NULL
);
CREATE INDEX login_failures_ip ON login_failures (ip, created_at);

ALTER TABLE staff ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE api_keys ADD COLUMN is_admin BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE api_keys SET is_admin = TRUE WHERE id IN (SELECT MIN(id) FROM api_keys GROUP BY employer_id);

-- +goose Down
ALTER TABLE api_keys DROP COLUMN is_admin;
ALTER TABLE staff DROP COLUMN must_change_password;
DROP TABLE login_failures;
