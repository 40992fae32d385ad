-- What a piece rate counts (计件单位): 斤, 件, 箱… A gig's piece unit is copied into its contracts with
-- the other wage terms, so pages, PDFs and ledgers say 1.80 元/斤 and 18.3 斤 rather than 件(斤).
-- Other rates have none (''). Piece rates posted before there was a piece unit were weighed: every
-- page and the weigh station counted them in 斤, so that is what they become.

-- +goose Up
ALTER TABLE jobs ADD COLUMN piece_unit TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN piece_unit TEXT NOT NULL DEFAULT '';
UPDATE jobs SET piece_unit = '斤' WHERE wage_unit = 'piece';
UPDATE contracts SET piece_unit = '斤' WHERE wage_unit = 'piece';

-- +goose Down
ALTER TABLE contracts DROP COLUMN piece_unit;
ALTER TABLE jobs DROP COLUMN piece_unit;
