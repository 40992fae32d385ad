-- The SMS outbox no longer holds codes in clear (the built-in driver masks them before writing, see
-- app.OutboxSender). Code messages written before that are removed: they are all past their 5 minutes,
-- and a backup must not keep a way to read them.

-- +goose Up
DELETE FROM sms_outbox WHERE purpose = 'otp';

-- +goose Down
SELECT 1;
