-- A worker's precise place (issue 19, item 4): lat/lng of a worker are either the chosen town's seat
-- ('town') or the position the worker's phone shared with consent, snapped to a ~100 m grid before it is
-- stored ('gps'). Nothing finer than the grid is ever written.

-- +goose Up
ALTER TABLE workers ADD COLUMN located TEXT NOT NULL DEFAULT 'town';

-- +goose Down
ALTER TABLE workers DROP COLUMN located;
