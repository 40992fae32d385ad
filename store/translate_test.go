package store_test

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"testing"

	"lingong/domain"
	"lingong/store"
)

// A write cut short by the request's deadline is "unavailable, try again" (503), never an internal
// error (500): database/sql rolls the transaction back when the context ends, and the statement after
// gets sql.ErrTxDone instead of the context's error. (Seen as HTTP 500 in TestRegistrationBurst on
// SQLite under the race detector, when registrations waited out the 15 s deadline.)
func TestATransactionEndedByTheDeadlineIsUnavailable(t *testing.T) {
	for _, err := range []error{
		fmt.Errorf("issue code for 137****0324: %w", sql.ErrTxDone),
		fmt.Errorf("register: %w", sql.ErrTxDone),
		// PostgreSQL: the deadline closed the connection under a running statement (a registration burst
		// answered 500 with it).
		fmt.Errorf("issue code for 137****0382: %w", driver.ErrBadConn),
	} {
		var de *domain.Error
		if got := store.Translate(err, "验证码"); !errors.As(got, &de) || de.Code != domain.CodeUnavailable {
			t.Errorf("translate(%v) = %v, want unavailable", err, got)
		}
	}
	// Anything else unknown stays internal.
	var de *domain.Error
	if got := store.Translate(errors.New("no such column: x"), "验证码"); !errors.As(got, &de) || de.Code != domain.CodeInternal {
		t.Errorf("an unknown error = %v, want internal", got)
	}
}
