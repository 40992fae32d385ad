package api

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"lingong/app"
	"lingong/store/storetest"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Issue 18 item 8: a client that hangs up is not an outage. Its request (whose database work fails
// because the request's context was cancelled) is logged as 499 at info level, not as a 503 warning or
// error that would page someone and count against the service's error rate.
func TestClientThatHangsUpIsLogged499(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			var logs lockedBuffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
			st := storetest.Open(t, e, nil)
			s := testServer(Options{}, app.Options{}, app.Deps{Store: st, Logger: log})
			for _, path := range []string{"/api/v1/workers/me", "/console", "/api/v1/stats"} {
				ctx, cancel := context.WithCancel(context.Background())
				cancel() // the client is gone before the server reads the database
				req := httptest.NewRequest("GET", path, nil).WithContext(ctx)
				req.Header.Set("Authorization", "Bearer lgs_"+strings.Repeat("x", 43))
				rec := httptest.NewRecorder()
				s.Handler().ServeHTTP(rec, req)
				if rec.Code != 499 {
					t.Errorf("GET %s by a client that hung up: %d, want 499", path, rec.Code)
				}
			}
			out := logs.String()
			if !strings.Contains(out, "status=499") || strings.Contains(out, "level=ERROR") || strings.Contains(out, "level=WARN") || strings.Contains(out, "status=503") {
				t.Errorf("log:\n%s\nwant status=499 at info, no warning, no error, no 503", out)
			}
		})
	}
}
