package app

import (
	"context"

	"lingong/domain"
)

// BackupStatus is what an admin's console shows about backups: where the daily one goes, the last
// success, and the last failure when nothing succeeded after it (admins only: the file paths are the
// server's).
func (s *Service) BackupStatus(ctx context.Context, p domain.Principal) (domain.BackupStatus, error) {
	if p.Kind != domain.AsAdmin {
		return domain.BackupStatus{}, domain.Forbidden("只有管理员可以查看备份")
	}
	st := domain.BackupStatus{Dir: s.opts.BackupDir, Unsupported: s.opts.BackupUnsupported}
	if st.Unsupported {
		return st, nil
	}
	ok, failed, err := s.store.LatestBackups(ctx)
	if err != nil {
		return domain.BackupStatus{}, err
	}
	st.LastOK = ok
	if failed != nil && (ok == nil || failed.FinishedAt.After(ok.FinishedAt)) {
		st.LastFailure = failed
	}
	return st, nil
}
