package domain

// PushRules govern 精准推送: when a gig is approved, its best available workers are told about it in
// their inbox and by SMS.
type PushRules struct {
	// Factor × the gig's remaining places is how many workers a gig is pushed to (N); 0 turns pushing off.
	Factor int
	// Max caps N, so a gig for 200 people does not text 600 phones at once.
	Max int
	// DailyLimit is the most pushes one worker gets in a day (Asia/Shanghai), whatever the gigs.
	DailyLimit int
}

// DefaultPushRules are the defaults: 3 × headcount, at most 3 a worker a day.
var DefaultPushRules = PushRules{Factor: 3, Max: 200, DailyLimit: 3}

// NotificationJobPush is the inbox kind of a pushed gig.
const NotificationJobPush = "job_push"

// Size returns N for a gig with remaining places left: Factor × remaining, capped by Max; 0 when pushing
// is off or the gig is full.
func (r PushRules) Size(remaining int) int {
	if r.Factor <= 0 || remaining <= 0 {
		return 0
	}
	n := r.Factor * remaining
	if r.Max > 0 && n > r.Max {
		n = r.Max
	}
	return n
}

// Push is one gig told to one worker: what the store records (once per gig and worker, within the daily
// limit) and what the inbox and the SMS say.
type Push struct {
	WorkerID int64
	Phone    string // where the SMS goes; filled in by the store from the worker's row
	Title    string // the inbox line
	Body     string // the inbox text: why this gig suits the worker
}
