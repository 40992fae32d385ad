package reliability

import (
	"errors"
	"flag"
	"io"
	"net"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"lingong/store/storetest"
	"lingong/test/testtool"
)

var outageLength = flag.Duration("outage", 30*time.Second, "how long the database is gone in TestDatabaseOutage")

// tcpProxy stands between the server and PostgreSQL. Down cuts every connection and refuses new ones,
// which is what the server sees when PostgreSQL stops (or its host dies); Up lets connections through
// again. It lets the outage test take the database away from one server without stopping the
// PostgreSQL that every other test shares.
type tcpProxy struct {
	target string
	ln     net.Listener
	addr   string

	mu    sync.Mutex
	up    bool
	conns map[net.Conn]bool
}

func newProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{target: target, ln: ln, addr: ln.Addr().String(), up: true, conns: map[net.Conn]bool{}}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.Down() })
	return p
}

func (p *tcpProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		up := p.up
		p.mu.Unlock()
		if !up {
			c.Close() // refused, as a stopped server's port would be
			continue
		}
		go p.pipe(c)
	}
}

func (p *tcpProxy) pipe(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[s] = true, true
	p.mu.Unlock()
	go func() { io.Copy(s, c); s.Close() }()
	io.Copy(c, s)
	c.Close()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, s)
	p.mu.Unlock()
}

// Down cuts every open connection and refuses new ones.
func (p *tcpProxy) Down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.up = false
	for c := range p.conns {
		c.Close()
	}
}

// Up lets connections through again.
func (p *tcpProxy) Up() {
	p.mu.Lock()
	p.up = true
	p.mu.Unlock()
}

// TestDatabaseOutage: PostgreSQL goes away for 30 s under load. Meanwhile the API answers 503 with
// Retry-After (never a panic, never a request hung past its deadline), /readyz answers 503; once the
// database returns (within 5 s in a load run), /readyz is 200 again and writes succeed.
func TestDatabaseOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("takes the database away for 30 s")
	}
	base := storetest.PostgresURL(t)
	if base == "" {
		return // logged by PostgresURL; CI fails instead
	}
	u, _ := url.Parse(base)
	proxy := newProxy(t, u.Host)
	u.Host = proxy.addr
	const deadline = 3 * time.Second
	p := startProc(t, map[string]string{"DATABASE_URL": u.String(), "LINGONG_DATA_DIR": t.TempDir(),
		"LINGONG_ADMIN_PASSWORD": "outage-admin-password", "LINGONG_REQUEST_TIMEOUT": deadline.String(),
		"LINGONG_OTP_IP_PER_HOUR": "100000000", "LINGONG_OTP_PHONE_INTERVAL": "1ms"})
	c := newClient(t, p.URL)
	admin := c.login("admin", "outage-admin-password")
	_, key := c.newEmployer(admin, "ZN-M1")

	type result struct {
		at     time.Time
		path   string
		status int
		retry  string
		took   time.Duration
		err    error
	}
	var mu sync.Mutex
	var results []result
	stop := make(chan struct{})
	var wg sync.WaitGroup
	load := func(path string, write bool) {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			var r reply
			if write {
				r = c.call("POST", "/api/v1/jobs", key, job(3, 2), "Idempotency-Key", "outage-"+strconv.Itoa(i)+"-"+time.Now().String())
			} else {
				r = c.call("GET", path, "", nil)
			}
			mu.Lock()
			results = append(results, result{time.Now(), path, r.Status, r.Header.Get("Retry-After"), r.Took, r.Err})
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
		}
	}
	for i := 0; i < 4; i++ {
		wg.Add(3)
		go load("/readyz", false)
		go load("/api/v1/stations", false)
		go load("/api/v1/jobs", true)
	}
	time.Sleep(2 * time.Second)
	outageStart := time.Now()
	proxy.Down()
	time.Sleep(*outageLength)
	proxy.Up()
	back := time.Now()
	// Recovery: readiness and a write. The goal is 5 s (and no request past its deadline by more than
	// 2 s), checked in a load run (LINGONG_LOADTEST=1) on a machine of its own; a plain run, whose cores
	// may be busy with anything, allows 30 s and 10 s, which still tell recovery from none and a request
	// cut at its deadline from one that hangs for the whole outage.
	recoverLimit, hangSlack := 30*time.Second, 10*time.Second
	if testtool.LoadGoals() {
		recoverLimit, hangSlack = 5*time.Second, 2*time.Second
	}
	recovered := time.Time{}
	for time.Since(back) < recoverLimit+5*time.Second {
		if r := c.call("GET", "/readyz", "", nil); r.Status == 200 {
			if w := c.call("POST", "/api/v1/jobs", key, job(3, 2)); w.Status == 201 {
				recovered = time.Now()
				break
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	close(stop)
	wg.Wait()

	if recovered.IsZero() || recovered.Sub(back) > recoverLimit {
		t.Errorf("service did not recover within %v of the database returning (recovered after %v)", recoverLimit, recovered.Sub(back))
	}
	var during, unavailable, readyDown, slow int
	var other []result
	for _, r := range results {
		if r.err != nil {
			if !errors.Is(r.err, io.EOF) {
				other = append(other, r)
			}
			continue
		}
		if r.took > deadline+hangSlack {
			slow++
		}
		if r.status == 500 {
			other = append(other, r)
		}
		// Requests that began well inside the outage window.
		startedAt := r.at.Add(-r.took)
		if startedAt.After(outageStart.Add(time.Second)) && r.at.Before(back) {
			during++
			switch {
			case r.path == "/readyz" && r.status == 503:
				readyDown++
			case r.path != "/readyz" && r.status == 503 && r.retry != "":
				unavailable++
			case r.path == "/api/v1/stations" && r.status == 200:
				// stations may be answered from a connection that has not noticed yet; fine
			default:
				other = append(other, r)
			}
		}
	}
	t.Logf("outage %v: %d requests during it (%d answered 503 with Retry-After, %d /readyz 503), %d slower than the deadline; recovered %v after the database returned",
		*outageLength, during, unavailable, readyDown, slow, recovered.Sub(back))
	if during == 0 || unavailable == 0 || readyDown == 0 {
		t.Errorf("the outage was not seen: %d requests, %d 503s, %d readyz 503s", during, unavailable, readyDown)
	}
	if slow > 0 {
		t.Errorf("%d requests hung past the %v deadline", slow, deadline)
	}
	if len(other) > 0 {
		t.Errorf("%d answers were neither success nor 503 with Retry-After, first: %+v", len(other), other[0])
	}
	for _, l := range p.logLines() {
		if l["msg"] == "panic" {
			t.Errorf("the server panicked: %v", l)
		}
	}
}
