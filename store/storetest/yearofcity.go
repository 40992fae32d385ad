package storetest

import (
	"database/sql"
	"testing"
)

// YearOfCity fills a PostgreSQL test schema with one year of one city's data, generated in SQL for
// speed: 50,000 workers (two skills each), 20,000 gigs, 30,000 accepted applications with active
// contracts, 100,000 ledger entries (payments paid 0-6 days after the work), 2,000 arrears alerts (a
// third of them paid), and for the attendance and protection figures: a check-in and a check-out on
// each contract's first day (60,000 events), 3,000 no-shows, accident cover on three gigs in five (the
// city's policy, an own checked policy, an exemption) and a confirmed guarantee for every employer with
// some 先行垫付. The monitoring benchmarks of store (the figures) and api (the dashboard page) share it.
func YearOfCity(b testing.TB, db *sql.DB) {
	b.Helper()
	stmts := []string{
		`INSERT INTO employers (kind, name, contact_name, contact_phone, station_id, created_at, updated_at)
		 SELECT 'individual', '用工方' || g, '联系人', '139' || lpad(g::text, 8, '0'), 1 + g % 25, now(), now()
		 FROM generate_series(1, 500) g`,
		`INSERT INTO workers (worker_no, phone, name, district, town, station_id, status, created_at, updated_at)
		 SELECT 'LG' || lpad(g::text, 8, '0'), '138' || lpad(g::text, 8, '0'), '零工' || g,
		   (ARRAY['沙坡头区','中宁县','海原县'])[1 + g % 3], '', 1 + g % 25, 'active',
		   now() - (g % 365) * interval '1 day', now()
		 FROM generate_series(1, 50000) g`,
		`INSERT INTO worker_skills (worker_id, skill)
		 SELECT w.id, s.name FROM workers w JOIN (SELECT name, row_number() OVER (ORDER BY name) - 1 AS n FROM skills) s
		   ON s.n = w.id % 70 OR s.n = (w.id * 7) % 70`,
		`INSERT INTO jobs (employer_id, station_id, title, headcount, filled, wage_fen, wage_unit, settlement, district,
		   start_date, end_date, status, approved_at, created_at, updated_at)
		 SELECT 1 + g % 500, 1 + g % 25, '岗位' || g, 5, 0, 15000, 'day', 'daily', (ARRAY['沙坡头区','中宁县','海原县'])[1 + g % 3],
		   to_char(now() - (g % 365) * interval '1 day', 'YYYY-MM-DD'), to_char(now() - (g % 365) * interval '1 day' + interval '5 days', 'YYYY-MM-DD'),
		   CASE WHEN g % 4 = 0 THEN 'open' ELSE 'closed' END, now() - (g % 365) * interval '1 day', now() - (g % 365) * interval '1 day', now()
		 FROM generate_series(1, 20000) g`,
		`INSERT INTO job_skills (job_id, skill)
		 SELECT j.id, s.name FROM jobs j JOIN (SELECT name, row_number() OVER (ORDER BY name) - 1 AS n FROM skills) s ON s.n = j.id % 70`,
		`INSERT INTO applications (job_id, worker_id, origin, status, created_at, updated_at)
		 SELECT 1 + g % 20000, 1 + (g * 13) % 50000, 'applied', 'accepted', now(), now() FROM generate_series(1, 30000) g
		 ON CONFLICT DO NOTHING`,
		`UPDATE jobs j SET filled = LEAST(j.headcount, (SELECT count(*) FROM applications a WHERE a.job_id = j.id))`,
		`INSERT INTO contracts (number, application_id, job_id, worker_id, employer_id, station_id, terms_json, terms_hash, status,
		   wage_fen, wage_unit, settlement, start_date, end_date, created_at, updated_at)
		 SELECT 'ZW-000000-' || lpad(a.id::text, 6, '0'), a.id, a.job_id, a.worker_id, j.employer_id, j.station_id, '{}', '', 'active',
		   15000, 'day', 'daily', j.start_date, j.end_date, j.created_at, now()
		 FROM applications a JOIN jobs j ON j.id = a.job_id`,
		`INSERT INTO ledger_entries (contract_id, kind, work_date, quantity_milli, unit, amount_fen, method, paid_at, due_date, recorded_by_kind, created_at)
		 SELECT c.id, CASE WHEN g % 3 = 0 THEN 'payment' ELSE 'work' END, c.start_date, 1000, 'day', 15000,
		   CASE WHEN g % 3 = 0 THEN 'cash' ELSE '' END,
		   CASE WHEN g % 3 = 0 THEN (c.start_date || ' 18:00:00+08')::timestamptz + (g % 7) * interval '1 day' END,
		   c.start_date, 'employer', now()
		 FROM generate_series(1, 100000) g JOIN contracts c ON c.id = 1 + (g / 3) % (SELECT count(*) FROM contracts)`,
		`INSERT INTO arrears_alerts (contract_id, employer_id, station_id, due_date, amount_fen, raised_at, cleared_at)
		 SELECT c.id, c.employer_id, c.station_id, c.start_date, 15000, (c.start_date || ' 09:00:00+08')::timestamptz + interval '1 day',
		   CASE WHEN c.id % 45 = 0 THEN (c.start_date || ' 09:00:00+08')::timestamptz + (1 + c.id % 9) * interval '1 day' END
		 FROM contracts c WHERE c.id % 15 = 0`,
		`INSERT INTO attendance_events (contract_id, job_id, worker_id, work_date, kind, at, source, recorded_by_kind, prev_hash, line_hash, created_at)
		 SELECT c.id, c.job_id, c.worker_id, c.start_date, k.kind, (c.start_date || ' ' || k.hm || '+08')::timestamptz, 'worker', 'worker', '', '', now()
		 FROM contracts c CROSS JOIN (VALUES ('in', '07:30:00'), ('out', '17:30:00')) AS k(kind, hm)`,
		`INSERT INTO no_shows (contract_id, job_id, worker_id, work_date, status, marked_at)
		 SELECT c.id, c.job_id, c.worker_id, to_char(c.start_date::date + 1, 'YYYY-MM-DD'), CASE WHEN c.id % 20 = 0 THEN 'confirmed' ELSE 'marked' END,
		   (c.start_date || ' 09:00:00+08')::timestamptz + interval '1 day'
		 FROM contracts c WHERE c.id % 10 = 0`,
		`INSERT INTO job_covers (job_id, kind, insurer, policy_number, cover_fen, valid_from, valid_to, checked_at, exemption_reason, created_at, updated_at)
		 SELECT j.id, (ARRAY['city','own','exempt'])[1 + j.id % 5], CASE WHEN j.id % 5 < 2 THEN '中华联合财险' ELSE '' END,
		   CASE WHEN j.id % 5 < 2 THEN 'P' || j.id ELSE '' END, CASE WHEN j.id % 5 < 2 THEN 30000000 ELSE 0 END,
		   CASE WHEN j.id % 5 < 2 THEN j.start_date ELSE '' END,
		   CASE WHEN j.id % 5 < 2 THEN to_char(j.start_date::date + 3, 'YYYY-MM-DD') ELSE '' END,
		   CASE WHEN j.id % 5 = 1 THEN now() END, CASE WHEN j.id % 5 = 2 THEN '镇政府统一投保' ELSE '' END, now(), now()
		 FROM jobs j WHERE j.id % 5 < 3`,
		`INSERT INTO guarantee_entries (employer_id, kind, amount_fen, bank_reference, value_date, recorded_by_kind, recorded_by_id, prev_hash, line_hash, created_at)
		 SELECT e.id, 'deposit', 5000000, 'BOC' || e.id, to_char(now(), 'YYYY-MM-DD'), 'staff', 1, '', '', now() - interval '300 days' FROM employers e`,
		`INSERT INTO guarantee_entries (employer_id, kind, amount_fen, confirms_id, recorded_by_kind, recorded_by_id, prev_hash, line_hash, created_at)
		 SELECT g.employer_id, 'confirm', 0, g.id, 'admin', 1, '', '', now() - interval '299 days' FROM guarantee_entries g WHERE g.kind = 'deposit'`,
		`INSERT INTO guarantee_entries (employer_id, kind, amount_fen, contract_id, alert_id, recorded_by_kind, recorded_by_id, prev_hash, line_hash, created_at)
		 SELECT a.employer_id, 'advance', 15000, a.contract_id, a.id, 'staff', 1, '', '', a.raised_at + interval '7 days'
		 FROM arrears_alerts a WHERE a.cleared_at IS NULL AND a.id % 4 = 0`,
		`ANALYZE`,
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			b.Fatalf("generate: %v\n%s", err, q)
		}
	}
}
