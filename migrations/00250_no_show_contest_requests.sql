-- A worker contests a confirmed no-show online (申诉): the worker's page or the API records the request
-- and the worker's reason here; the issuing station decides as before (contest, contest_reason), with
-- the worker not present, and the decision is texted to the worker. NULL: no request made online.

-- +goose Up
ALTER TABLE no_shows ADD COLUMN contest_requested_at ${TIMESTAMP};
ALTER TABLE no_shows ADD COLUMN contest_request TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE no_shows DROP COLUMN contest_request;
ALTER TABLE no_shows DROP COLUMN contest_requested_at;
