-- A missing check-out (issue 21 item 4): source 'day_end' for the check-out the system writes at the
-- day's end. SQLite cannot alter a CHECK constraint; as in 00122, the CREATE statement in sqlite_schema
-- is rewritten to loosen a constraint no stored row can violate (https://sqlite.org/lang_altertable.html)
-- and the schema reloaded. See the .postgres.sql twin.

-- +goose Up
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''staff'', ''employer_clock'')', '''staff'', ''employer_clock'', ''day_end'')')
 WHERE type = 'table' AND name = 'attendance_events';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_reload_00106 (x INTEGER);
DROP TABLE schema_reload_00106;

-- +goose Down
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''staff'', ''employer_clock'', ''day_end'')', '''staff'', ''employer_clock'')')
 WHERE type = 'table' AND name = 'attendance_events';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_reload_00106 (x INTEGER);
DROP TABLE schema_reload_00106;
