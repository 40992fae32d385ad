package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"lingong/domain"
	"lingong/migrations"
)

// Audit is one event to append: who (actor), what (action) to which record (entity), with a detail
// object that must never hold personal data in clear (use masked forms).
type Audit struct {
	Actor      domain.Principal
	Action     string // e.g. "worker.register", "job.approve", "contract.sign"
	EntityKind string
	EntityID   int64
	Detail     map[string]any
	IP         string
	// System marks an event done on the server itself (a lingong command run by its operator), not by
	// a caller: actor_kind "system".
	System bool
}

// genesisHash is the prev_hash of the first event of the chain.
const genesisHash = domain.GenesisHash

// appendAudit adds an event to the hash-chained audit log inside tx. Each event's hash covers its own
// content and the previous event's hash, so deleting or editing any row breaks the chain from there on
// (VerifyAuditChain finds it). Appends are serialised: on PostgreSQL by a transaction-scoped advisory
// lock, on SQLite by the write lock every transaction takes (BEGIN IMMEDIATE).
//
// The lock is held until the transaction commits, so every statement under it delays every other
// writer (a registration burst queues here). The event is first written with the hash of the last event
// this process wrote as its link, by one INSERT that checks, under the lock, that this hash is still
// the chain's tail: it is, unless another process appended since or the transaction that wrote it
// rolled back, and then the tail is read and the event written as before. Either way the event links to
// the tail it follows; the usual case saves one of the three round trips under the lock.
func (s *Store) appendAudit(tx *gorm.DB, a Audit) error {
	if s.dialect == migrations.Postgres {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(640500001)").Error; err != nil {
			return fmt.Errorf("audit lock: %w", err)
		}
	}
	detail := "{}"
	if a.Detail != nil {
		b, err := json.Marshal(a.Detail)
		if err != nil {
			return fmt.Errorf("audit detail: %w", err)
		}
		detail = string(b)
	}
	actorKind := a.Actor.ActorKind()
	if a.System {
		actorKind = "system"
	}
	row := auditRow{
		CityCode: domain.CityCode, ActorKind: actorKind, ActorID: a.Actor.ID, Action: a.Action,
		EntityKind: a.EntityKind, EntityID: a.EntityID, Detail: detail, IP: a.IP,
		// Truncated to microseconds: PostgreSQL stores no finer, and the hash must recompute from the row.
		CreatedAt: s.now().Truncate(time.Microsecond),
	}
	if guess, ok := s.auditTail.Load().(string); ok && guess != "" {
		row.PrevHash = guess
		row.Hash = s.auditMAC(row)
		res := tx.Exec(`INSERT INTO audit_events (city_code, actor_kind, actor_id, action, entity_kind, entity_id, detail, ip,
			prev_hash, hash, created_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
			WHERE (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1) = ?`,
			row.CityCode, row.ActorKind, row.ActorID, row.Action, row.EntityKind, row.EntityID, row.Detail, row.IP,
			row.PrevHash, row.Hash, row.CreatedAt, guess)
		if res.Error != nil {
			return fmt.Errorf("audit append: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			s.auditTail.Store(row.Hash)
			return nil
		}
	}
	var last auditRow
	row.PrevHash = genesisHash
	err := tx.Select("hash").Order("id DESC").Limit(1).Take(&last).Error
	switch {
	case err == nil:
		row.PrevHash = last.Hash
	case !isNotFound(err):
		return fmt.Errorf("audit tail: %w", err)
	}
	row.Hash = s.auditMAC(row)
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	s.auditTail.Store(row.Hash)
	return nil
}

// auditMAC is the keyed hash of an event: HMAC-SHA256 (key derived from the secret key, never stored in
// the database) over its fields and the previous event's hash, length-prefixed so no two events
// serialise alike. Someone who rewrites a row and recomputes the chain without the key is found.
func (s *Store) auditMAC(r auditRow) string {
	return domain.ChainMAC(s.evidenceKey, auditFields(r)...)
}

func auditFields(r auditRow) []string {
	return []string{r.PrevHash, r.CityCode, r.ActorKind, strconv.FormatInt(r.ActorID, 10), r.Action,
		r.EntityKind, strconv.FormatInt(r.EntityID, 10), r.Detail, r.IP, r.CreatedAt.UTC().Format(time.RFC3339Nano)}
}

// legacyAuditHash is how events were hashed before the chain was keyed (plain SHA-256): the migration
// that keys the chain checks the old chain with it before converting it.
func legacyAuditHash(r auditRow) string {
	h := sha256.New()
	for _, f := range auditFields(r) {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditProblem is a break in the audit chain.
type AuditProblem struct {
	EventID int64
	Problem string // Chinese, for the verify page
}

// VerifyAuditChain recomputes every event's hash and link. It returns the problems found (none when the
// log is intact): an edited row no longer matches its hash; a deleted row leaves the next one pointing
// at a hash that is not its predecessor's.
func (s *Store) VerifyAuditChain(ctx context.Context) ([]AuditProblem, error) {
	var problems []AuditProblem
	prev := genesisHash
	err := scanInBatches(s.conn(ctx), "1 = 1", func(r auditRow) int64 { return r.ID }, func(_ *gorm.DB, batch []auditRow) error {
		for _, r := range batch {
			if r.PrevHash != prev {
				problems = append(problems, AuditProblem{r.ID, fmt.Sprintf("审计记录 %d 之前的记录被删除或改动", r.ID)})
			}
			if !domain.MACEqual(s.auditMAC(r), r.Hash) {
				problems = append(problems, AuditProblem{r.ID, fmt.Sprintf("审计记录 %d 的内容被改动", r.ID)})
			}
			prev = r.Hash
		}
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("verify audit chain: %w", err), "审计记录")
	}
	return problems, nil
}

// AuditEvents returns the events about one record, oldest first.
func (s *Store) AuditEvents(ctx context.Context, entityKind string, entityID int64) ([]domain.AuditEvent, error) {
	var rows []auditRow
	if err := s.conn(ctx).Where("entity_kind = ? AND entity_id = ?", entityKind, entityID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "审计记录")
	}
	out := make([]domain.AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = domain.AuditEvent{ID: r.ID, ActorKind: r.ActorKind, ActorID: r.ActorID, Action: r.Action,
			EntityKind: r.EntityKind, EntityID: r.EntityID, Detail: r.Detail, IP: r.IP, PrevHash: r.PrevHash,
			Hash: r.Hash, CityCode: r.CityCode, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

func isNotFound(err error) bool {
	return domain.IsCode(translate(err, ""), domain.CodeNotFound)
}
