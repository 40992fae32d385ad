package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"lingong/domain"
	"lingong/migrations"
	"lingong/store"
)

// Backups of the embedded SQLite database (DESIGN: a station or county on one PC must not lose its
// records with its disk):
//
//	lingong backup DIR     a consistent, checked copy while the service runs (DIR/lingong-YYYYMMDD-HHMMSS.db)
//	lingong restore SRC    check a copy (integrity, audit chain, every contract's hash), then put it in place
//
// and with LINGONG_BACKUP_DIR, serve makes a daily copy by itself and keeps 7 daily and 4 weekly ones.
// PostgreSQL is backed up with its own tools (docs/operations.md); both commands say so.

const (
	keepDaily  = 7
	keepWeekly = 4
	// backupCheckEvery: how often serve looks whether today's (Beijing) daily backup exists yet.
	backupCheckEvery = 15 * time.Minute
)

func backupCmd(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
		return fmt.Errorf("usage: lingong backup DIR")
	}
	db, key, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if db.Dialect() != migrations.SQLite {
		return store.ErrBackupNotSQLite
	}
	started := time.Now()
	name := "lingong-" + started.In(domain.Shanghai).Format("20060102-150405") + ".db"
	path, check, err := makeBackup(ctx, db, key, args[0], name)
	recordBackup(ctx, db, log, "manual", started, path, err)
	if err != nil {
		return err
	}
	size := fileSize(path)
	fmt.Fprintf(stdout, "backed up to %s (%d bytes; checked: %d tables, %d contracts, %d audit events)\n",
		path, size, check.Tables, check.Contracts, check.AuditEvents)
	fmt.Fprintln(stdout, "keep the secret key (LINGONG_SECRET_KEY or the data folder's secret.key) too, apart from the copy")
	return nil
}

// makeBackup copies the database into dir/name through a temporary file: the copy is checked as a
// restore would check it before it gets its name, so a file with the final name is a sound backup.
func makeBackup(ctx context.Context, db *store.Store, key []byte, dir, name string) (string, store.CopyCheck, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", store.CopyCheck{}, fmt.Errorf("backup folder: %w", err)
	}
	final := filepath.Join(dir, name)
	tmp := final + ".partial"
	removeSQLite(tmp)
	if err := db.Backup(ctx, tmp); err != nil {
		removeSQLite(tmp)
		return final, store.CopyCheck{}, err
	}
	check, err := checkCopy(ctx, tmp, key)
	if err == nil && len(check.Problems) > 0 {
		err = fmt.Errorf("the new copy failed its check: %s", strings.Join(check.Problems, "; "))
	}
	if err == nil {
		err = syncFile(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		removeSQLite(tmp)
		return final, check, err
	}
	syncDir(dir)
	return final, check, nil
}

// checkCopy opens a database file on its own and checks it (store.CheckCopy).
func checkCopy(ctx context.Context, path string, key []byte) (store.CopyCheck, error) {
	c, err := store.Open(ctx, store.Options{DatabaseURL: "sqlite://" + path, Key: key, MaxOpenConns: 1})
	if err != nil {
		return store.CopyCheck{}, fmt.Errorf("open %s: %w", path, err)
	}
	check, err := c.CheckCopy(ctx)
	if cerr := c.Close(); err == nil {
		err = cerr
	}
	return check, err
}

// dailyBackup makes today's (Beijing date) backup in dir unless it exists, the week's weekly one with
// it, and drops the copies beyond keepDaily and keepWeekly. made is false when today's was already there.
func dailyBackup(ctx context.Context, db *store.Store, key []byte, dir string, now time.Time, log *slog.Logger) (made bool, err error) {
	local := now.In(domain.Shanghai)
	daily := "lingong-daily-" + local.Format("2006-01-02") + ".db"
	if _, err := os.Stat(filepath.Join(dir, daily)); err == nil {
		return false, nil
	}
	path, _, err := makeBackup(ctx, db, key, dir, daily)
	recordBackup(ctx, db, log, "daily", now, path, err)
	if err != nil {
		return false, err
	}
	year, week := local.ISOWeek()
	weekly := filepath.Join(dir, fmt.Sprintf("lingong-weekly-%04d-W%02d.db", year, week))
	if _, err := os.Stat(weekly); errors.Is(err, os.ErrNotExist) {
		// The week's first daily copy is its weekly one too: a second name for the same file.
		if err := os.Link(path, weekly); err != nil {
			if err := copyFile(path, weekly); err != nil {
				return true, fmt.Errorf("weekly backup: %w", err)
			}
		}
	}
	log.Info("backed up the database", "file", path, "bytes", fileSize(path))
	return true, rotateBackups(dir)
}

// rotateBackups keeps the newest keepDaily daily and keepWeekly weekly copies in dir (their names sort
// by date) and removes the older ones; copies made by `lingong backup` are the operator's and stay.
func rotateBackups(dir string) error {
	for _, r := range []struct {
		pattern string
		keep    int
	}{{"lingong-daily-*.db", keepDaily}, {"lingong-weekly-*.db", keepWeekly}} {
		names, err := filepath.Glob(filepath.Join(dir, r.pattern))
		if err != nil {
			return err
		}
		sort.Strings(names)
		for len(names) > r.keep {
			if err := os.Remove(names[0]); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("rotate backups: %w", err)
			}
			names = names[1:]
		}
	}
	return nil
}

// recordBackup keeps the outcome for the console. A database too old to have the table (a backup taken
// before an upgrade) only loses this record.
func recordBackup(ctx context.Context, db *store.Store, log *slog.Logger, kind string, started time.Time, path string, backupErr error) {
	run := domain.BackupRun{Kind: kind, StartedAt: started, FinishedAt: time.Now(), OK: backupErr == nil, File: path}
	if backupErr == nil {
		run.SizeBytes = fileSize(path)
	} else {
		run.Error = backupErr.Error()
	}
	if err := db.RecordBackup(ctx, run); err != nil {
		log.Warn("could not record the backup's outcome", "err", err)
	}
}

func restoreCmd(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
		return fmt.Errorf("usage: lingong restore SRC (a copy made by lingong backup)")
	}
	src := args[0]
	dialect, dsn, err := store.ParseDatabaseURL(cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	if dialect != migrations.SQLite {
		return fmt.Errorf("lingong restore replaces the embedded SQLite database; this configuration uses PostgreSQL: " +
			"restore it with pg_restore or point-in-time recovery (docs/operations.md, 备份与恢复)")
	}
	if st, err := os.Stat(src); err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("restore: %s is not a backup file", src)
	}
	key, err := cfg.secretKey()
	if err != nil {
		return fmt.Errorf("secret key: %w", err)
	}
	target := store.SQLiteFile(dsn)
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	// The copy is checked where it will live, under a name nothing opens, and only then takes the
	// database's name: a refused or interrupted restore leaves the current database as it was.
	staging := target + ".restoring"
	removeSQLite(staging)
	if err := copyFile(src, staging); err != nil {
		removeSQLite(staging)
		return fmt.Errorf("restore: copy %s: %w", src, err)
	}
	check, err := checkCopy(ctx, staging, key)
	if err != nil || len(check.Problems) > 0 {
		removeSQLite(staging)
		why := []string{}
		if err != nil {
			why = append(why, err.Error())
		}
		why = append(why, check.Problems...)
		return fmt.Errorf("restore refused: %s is not a sound copy, nothing was replaced:\n  - %s", src, strings.Join(why, "\n  - "))
	}
	var aside string
	if _, err := os.Stat(target); err == nil {
		aside = target + ".before-restore-" + time.Now().In(domain.Shanghai).Format("20060102-150405")
		if err := os.Rename(target, aside); err != nil {
			removeSQLite(staging)
			return fmt.Errorf("restore: keep the current database: %w", err)
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(target + suffix); err == nil {
				os.Rename(target+suffix, aside+suffix)
			}
		}
	}
	if err := os.Rename(staging, target); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	syncDir(filepath.Dir(target))
	fmt.Fprintf(stdout, "restored %s into %s (checked: %d tables, %d contracts, %d audit events intact)\n",
		src, target, check.Tables, check.Contracts, check.AuditEvents)
	if aside != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s\n", aside)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename durable (best effort: not every system can sync a directory).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// removeSQLite removes a database file and its WAL and shared-memory files.
func removeSQLite(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}
