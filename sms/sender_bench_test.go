package sms_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"lingong/sms"
	"lingong/sms/smstest"
)

// BenchmarkPush600ThroughThrottledProvider sends one push to 600 phones, 8 at a time (as app's push
// does), through a fake Alibaba Cloud that throttles above 100 requests a second, with our rate at 80.
// It reports messages per second and checks that every phone got exactly one message. Run it briefly:
//
//	go test -run '^$' -bench Push600 -benchtime 1x ./sms
func BenchmarkPush600ThroughThrottledProvider(b *testing.B) {
	for b.Loop() {
		fake := smstest.NewAliyun(b)
		fake.Throttle = 100
		s := sms.NewSender(fake.Driver(), nil, sms.Options{PerSecond: 80, Burst: 1, Retries: 5, Backoff: 50 * time.Millisecond})
		next := make(chan int)
		var wg sync.WaitGroup
		failed := 0
		var mu sync.Mutex
		start := time.Now()
		for range 8 {
			wg.Go(func() {
				for i := range next {
					if _, err := s.Send(context.Background(), push(fmt.Sprintf("ref-%04d", i), fmt.Sprintf("1391%07d", i))); err != nil {
						mu.Lock()
						failed++
						mu.Unlock()
					}
				}
			})
		}
		for i := range 600 {
			next <- i
		}
		close(next)
		wg.Wait()
		took := time.Since(start)
		got := map[string]int{}
		for _, m := range fake.Sent() {
			got[m.Phone]++
		}
		twice := 0
		for _, n := range got {
			if n > 1 {
				twice++
			}
		}
		b.ReportMetric(float64(len(got))/took.Seconds(), "sms/s")
		b.ReportMetric(float64(fake.Throttled()), "throttled")
		if len(got) != 600 || twice != 0 || failed != 0 {
			b.Errorf("phones reached %d, twice %d, failed %d", len(got), twice, failed)
		}
	}
}
