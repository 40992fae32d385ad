package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// admin runs the operator's commands on the server itself, for what the console cannot do:
//
//	lingong admin reset-password USERNAME
//
// resets a console account's password (the admin's, when nobody can log in any more). The new password
// is printed once and never stored in clear; the account's sessions end and it must choose its own
// password at its next console login. Anyone who can run this command can read the database anyway.
func admin(ctx context.Context, cfg Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "reset-password" {
		return fmt.Errorf("usage: lingong admin reset-password USERNAME")
	}
	if len(args) != 2 || strings.TrimSpace(args[1]) == "" {
		return fmt.Errorf("usage: lingong admin reset-password USERNAME (one username)")
	}
	username := strings.TrimSpace(args[1])
	db, _, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	// The schema this binary knows (the must-change flag among it): the same step serve takes on start.
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	password, err := db.ResetStaffPasswordByName(ctx, username)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "new password for %s (shown once, not stored): %s\n", username, password)
	fmt.Fprintln(stdout, "the account's sessions have ended; it must choose its own password at its next console login")
	return nil
}
