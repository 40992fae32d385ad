-- Protection (issue 22): a ledger payment may be made from the employer's wage guarantee (先行垫付),
-- method 'guarantee'. SQLite cannot alter a CHECK constraint, and rebuilding ledger_entries (append-only,
-- hash-chained, referenced by other tables) is riskier than the procedure SQLite documents for loosening
-- a constraint that no stored row can violate (https://sqlite.org/lang_altertable.html, "making other
-- kinds of table schema changes"): rewrite the table's CREATE statement in sqlite_schema, then change
-- the schema (RESET reloads it on this connection; the throw-away table makes the others reload it). See the .postgres.sql twin.

-- +goose Up
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''bank'', ''social_security_card'')', '''bank'', ''social_security_card'', ''guarantee'')')
 WHERE type = 'table' AND name = 'ledger_entries';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_reload_00122 (x INTEGER);
DROP TABLE schema_reload_00122;

-- +goose Down
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''bank'', ''social_security_card'', ''guarantee'')', '''bank'', ''social_security_card'')')
 WHERE type = 'table' AND name = 'ledger_entries';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_reload_00122 (x INTEGER);
DROP TABLE schema_reload_00122;
