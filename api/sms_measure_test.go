package api

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"lingong/app"
	"lingong/domain"
	"lingong/sms"
	"lingong/sms/smstest"
	"lingong/store/storetest"
)

// TestPushTo600WorkersThroughAThrottledProvider measures 精准推送 of one gig to 600 workers through a
// fake Alibaba Cloud that refuses requests faster than 100 a second (its throttling code), on each
// engine: from the approval to the last SMS taken, the messages per second, how many requests the
// provider throttled, and that every worker got exactly one push (none lost, none sent twice). Our
// sender runs at LINGONG_SMS_MEASURE_RATE messages a second (default 80, under the provider's limit;
// above it the retries with backoff carry the throttled ones). It only measures:
//
//	LINGONG_SMS_MEASURE=1 go test -run TestPushTo600WorkersThroughAThrottledProvider -v ./api
func TestPushTo600WorkersThroughAThrottledProvider(t *testing.T) {
	if os.Getenv("LINGONG_SMS_MEASURE") == "" {
		t.Skip("a measurement: set LINGONG_SMS_MEASURE=1 to run it")
	}
	rate := 80.0
	if v, err := strconv.ParseFloat(os.Getenv("LINGONG_SMS_MEASURE_RATE"), 64); err == nil && v > 0 {
		rate = v
	}
	const workers = 600
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			fake := smstest.NewAliyun(t)
			fake.Throttle = 100
			sender := sms.NewSender(fake.Driver(), nil, sms.Options{PerSecond: rate, Burst: 1, Retries: 5, Backoff: 50 * time.Millisecond})
			e := newEnvWith(t, eng, app.Options{Push: domain.PushRules{Factor: 3, Max: workers, DailyLimit: 3}}, app.Deps{SMS: sender})
			ctx := context.Background()
			phones := map[string]bool{}
			for i := range workers {
				phone := fmt.Sprintf("1391%07d", i)
				e.newWorker(phone, "中宁县", "新堡镇")
				phones[phone] = true
			}
			e.loadIndex(ctx)
			emp := e.newEmployer("ZN-S03")
			job := e.postJob(emp.Key, jobBody(func(m map[string]any) { m["headcount"] = workers / 3 }))
			start := time.Now()
			e.approve(e.staffA, job.ID)
			e.srv.app.WaitForPushes()
			took := time.Since(start)

			sent := fake.Sent()
			byPhone := map[string]int{}
			refs := map[string]bool{}
			for _, s := range sent {
				if s.Template == "T-push" {
					byPhone[s.Phone]++
					refs[s.Ref] = true
				}
			}
			lost, twice := 0, 0
			for p := range phones {
				switch byPhone[p] {
				case 0:
					lost++
				case 1:
				default:
					twice++
				}
			}
			t.Logf("%s: %d workers pushed in %v = %.1f SMS/s (our rate %.0f/s, provider's limit 100/s); provider throttled %d requests; %d distinct references; lost %d, sent twice %d",
				eng.Name, len(byPhone), took.Round(time.Millisecond), float64(len(byPhone))/took.Seconds(), rate, fake.Throttled(), len(refs), lost, twice)
			if lost != 0 || twice != 0 || len(refs) != workers || fake.BadSignatures() != 0 {
				t.Errorf("lost %d, sent twice %d, references %d, bad signatures %d", lost, twice, len(refs), fake.BadSignatures())
			}
		})
	}
}
