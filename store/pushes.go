package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"lingong/domain"
)

// RecordPushes decides, in one transaction, which of a gig's ranked candidates are told about it
// (精准推送), and records each push with its inbox notification (kind job_push). candidates come best
// first; want is how many workers should know about the gig in all (domain.PushRules.Size), counting
// those told at an earlier approval. A candidate is skipped when they were told about this gig before
// (job_pushes' primary key: never the same gig twice, even when two pushes of one gig race), opted out
// (push_opt_out), are no longer active, or have had dailyLimit pushes on day already. A gig that is no
// longer open (closed or filled since it was approved) is pushed to no one. The rows and their
// notifications commit together or not at all.
//
// It returns the pushes made, with each worker's phone for the SMS the caller sends after the commit.
//
// On PostgreSQL the candidates' worker rows are locked (in id order, so two pushes never deadlock)
// before their day's pushes are counted: two gigs approved at once cannot both take a worker's last
// push of the day. SQLite transactions already hold the single write lock.
func (s *Store) RecordPushes(ctx context.Context, jobID int64, day domain.Date, candidates []domain.Push, want, dailyLimit int) ([]domain.Push, error) {
	if len(candidates) == 0 || want <= 0 {
		return nil, nil
	}
	ids := make([]int64, len(candidates))
	for i, c := range candidates {
		ids[i] = c.WorkerID
	}
	var made []domain.Push
	err := s.tx(ctx, func(tx *gorm.DB) error {
		made = nil
		// The push runs after the approval's commit, maybe in the background: a gig closed or filled
		// meanwhile is not pushed.
		var status string
		if err := tx.Raw("SELECT status FROM jobs WHERE id = ?", jobID).Scan(&status).Error; err != nil {
			return fmt.Errorf("status of gig %d: %w", jobID, err)
		}
		if status != string(domain.JobOpen) {
			return nil
		}
		type workerState struct {
			ID         int64
			Phone      string
			PushOptOut bool
			Status     string
		}
		workers := make(map[int64]workerState, len(ids))
		pushedToday := map[int64]int{}
		for _, part := range chunks(ids, 500) {
			q := "SELECT id, phone, push_opt_out, status FROM workers WHERE id IN ? ORDER BY id"
			if s.dialect == "postgres" {
				q += " FOR UPDATE"
			}
			var rows []workerState
			if err := tx.Raw(q, part).Scan(&rows).Error; err != nil {
				return fmt.Errorf("lock workers: %w", err)
			}
			for _, r := range rows {
				workers[r.ID] = r
			}
			var counts []struct {
				WorkerID int64
				N        int
			}
			if err := tx.Raw("SELECT worker_id, count(*) AS n FROM job_pushes WHERE day = ? AND worker_id IN ? GROUP BY worker_id",
				string(day), part).Scan(&counts).Error; err != nil {
				return fmt.Errorf("count pushes of %s: %w", day, err)
			}
			for _, c := range counts {
				pushedToday[c.WorkerID] = c.N
			}
		}
		var told []int64
		if err := tx.Raw("SELECT worker_id FROM job_pushes WHERE job_id = ?", jobID).Scan(&told).Error; err != nil {
			return fmt.Errorf("pushes of gig %d: %w", jobID, err)
		}
		already := make(map[int64]bool, len(told))
		for _, id := range told {
			already[id] = true
		}
		budget := want - len(told)
		now := s.now()
		for _, c := range candidates {
			if budget <= 0 {
				break
			}
			w, ok := workers[c.WorkerID]
			if !ok || already[c.WorkerID] || w.PushOptOut || w.Status != domain.WorkerActive || pushedToday[c.WorkerID] >= dailyLimit {
				continue
			}
			res := tx.Exec(`INSERT INTO job_pushes (job_id, worker_id, day, pushed_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (job_id, worker_id) DO NOTHING`, jobID, c.WorkerID, string(day), now)
			if res.Error != nil {
				return fmt.Errorf("record push of gig %d to worker %d: %w", jobID, c.WorkerID, res.Error)
			}
			already[c.WorkerID] = true // a candidate listed twice is told once
			if res.RowsAffected == 0 {
				continue // another push of this gig got there first
			}
			if err := s.insertNotification(tx, domain.Notification{RecipientKind: domain.RecipientWorker, RecipientID: c.WorkerID,
				Kind: domain.NotificationJobPush, Title: c.Title, Body: c.Body, JobID: jobID}); err != nil {
				return err
			}
			c.Phone = w.Phone
			made = append(made, c)
			pushedToday[c.WorkerID]++
			budget--
		}
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("push gig %d: %w", jobID, err), "推送")
	}
	return made, nil
}

// PushesOfJob returns the ids of the workers a gig was pushed to, in id order.
func (s *Store) PushesOfJob(ctx context.Context, jobID int64) ([]int64, error) {
	var ids []int64
	if err := s.conn(ctx).Raw("SELECT worker_id FROM job_pushes WHERE job_id = ? ORDER BY worker_id", jobID).Scan(&ids).Error; err != nil {
		return nil, translate(fmt.Errorf("pushes of gig %d: %w", jobID, err), "推送")
	}
	return ids, nil
}
