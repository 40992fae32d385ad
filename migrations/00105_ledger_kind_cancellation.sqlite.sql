-- Cancellations (issue 21 item 5): a ledger line of kind 'cancellation' (the employer's late
-- cancellation amount). SQLite cannot alter a CHECK constraint; as in 00122, the CREATE statement in
-- sqlite_schema is rewritten to loosen a constraint no stored row can violate
-- (https://sqlite.org/lang_altertable.html), and the schema reloaded. See the .postgres.sql twin.

-- +goose Up
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''work'', ''payment'', ''correction'')', '''work'', ''payment'', ''correction'', ''cancellation'')')
 WHERE type = 'table' AND name = 'ledger_entries';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_reload_00105 (x INTEGER);
DROP TABLE schema_reload_00105;

-- +goose Down
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''work'', ''payment'', ''correction'', ''cancellation'')', '''work'', ''payment'', ''correction'')')
 WHERE type = 'table' AND name = 'ledger_entries';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_reload_00105 (x INTEGER);
DROP TABLE schema_reload_00105;
