package contracts

import (
	"bytes"
	"context"
	"errors"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewRendererLimit(t *testing.T) {
	if got, want := NewRenderer(0).Limit(), max(2, runtime.NumCPU()); got != want {
		t.Errorf("default limit %d, want %d", got, want)
	}
	if got := NewRenderer(7).Limit(); got != 7 {
		t.Errorf("limit %d, want 7", got)
	}
}

func TestRendererWaitsAndHonoursContext(t *testing.T) {
	r := NewRenderer(1)
	r.slots <- struct{}{} // the only slot is busy
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := r.Contract(ctx, sampleContract(t)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's deadline", err)
	}
	<-r.slots
	got, err := r.Contract(context.Background(), sampleContract(t))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ContractPDF(sampleContract(t))
	if !bytes.Equal(got, want) {
		t.Error("the Renderer's output differs from ContractPDF's")
	}
}

// memPeak samples the Go runtime's memory while fn runs and returns the peaks of live heap objects and
// of all memory the runtime has mapped (heap, stacks, metadata: the process's memory but for the binary).
func memPeak(fn func()) (heapPeak, totalPeak uint64) {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		for !stop.Load() {
			metrics.Read(samples)
			heapPeak = max(heapPeak, samples[0].Value.Uint64())
			totalPeak = max(totalPeak, samples[1].Value.Uint64())
			time.Sleep(200 * time.Microsecond)
		}
	}()
	fn()
	stop.Store(true)
	<-done
	return heapPeak, totalPeak
}

// concurrentRenders starts n renders of c at once through r and waits for them all.
func concurrentRenders(t testing.TB, r *Renderer, c ContractDoc, n int) {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.Contract(context.Background(), c); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// vmHWM is the process's peak resident set size (Linux), 0 elsewhere.
func vmHWM() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestConcurrentRenderMemory: 50 requests for a contract PDF at once stay far below 500 MB.
func TestConcurrentRenderMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 50 contracts")
	}
	c := sampleContract(t)
	c.Terms.Work.Content = longText(2000)
	c.TermsHash, c.Signatures = "", nil
	mustFace(t)
	runtime.GC()
	heap, total := memPeak(func() { concurrentRenders(t, NewRenderer(0), c, 50) })
	t.Logf("50 concurrent renders: peak live heap %d MB, peak Go runtime memory %d MB, process peak RSS %d MB",
		heap>>20, total>>20, vmHWM()>>20)
	const limit = 500 << 20
	if total > limit {
		t.Errorf("peak runtime memory %d MB exceeds 500 MB", total>>20)
	}
	if rss := vmHWM(); rss > limit {
		t.Errorf("peak RSS %d MB exceeds 500 MB", rss>>20)
	}
}
