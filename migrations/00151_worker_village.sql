-- A worker's village (issue 19, item 4): optionally the 村 or 社区 of the chosen town the worker lives in,
-- by its spoken name from the published list (domain.Villages). '' when not given.

-- +goose Up
ALTER TABLE workers ADD COLUMN village TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE workers DROP COLUMN village;
