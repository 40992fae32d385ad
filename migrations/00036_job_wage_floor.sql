-- A gig that pays less than the local minimum wage is not refused: it waits for review with both
-- figures (its pay and the floor that fits it, per day or per hour), and workers are told so.
-- All zero / empty: the pay is at or above the floor.

-- +goose Up
ALTER TABLE jobs ADD COLUMN wage_floor_pay_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN wage_floor_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN wage_floor_per TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE jobs DROP COLUMN wage_floor_per;
ALTER TABLE jobs DROP COLUMN wage_floor_fen;
ALTER TABLE jobs DROP COLUMN wage_floor_pay_fen;
