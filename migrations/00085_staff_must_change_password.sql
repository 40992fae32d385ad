-- An account whose password an administrator reset from the command line (lingong admin reset-password)
-- must choose a new one at its next login: the reset password was printed on a terminal and may have been
-- read by someone else.

-- +goose Up
ALTER TABLE staff ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE staff DROP COLUMN must_change_password;
