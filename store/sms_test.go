package store_test

import (
	"testing"
	"time"

	"lingong/domain"
	"lingong/store/storetest"
)

// A message's state only moves forward, whatever order the reports come in: a receipt that beats the
// provider's answer to the send keeps the message delivered (and the later answer only adds the
// provider's id); a repeated receipt changes nothing; a failure after delivery changes nothing; an
// unknown reference is not_found. A reply is kept once per provider and id.
func TestSMSStateOnlyMovesForward(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			now := time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)
			s := storetest.Open(t, e, func() time.Time { return now })
			ctx := t.Context()
			m := domain.SMSMessage{Phone: "13812345678", Body: "【中卫零工】已办理：x。", Purpose: "notice", Kind: domain.SMSReplyDone,
				Params: map[string]string{"what": "x"}, Ref: "ref-order", Status: domain.SMSQueued}
			if err := s.AppendSMS(ctx, &m); err != nil {
				t.Fatal(err)
			}
			step := func(name string, f func() (bool, error), wantChanged bool, want domain.SMSStatus) {
				t.Helper()
				changed, err := f()
				if err != nil || changed != wantChanged {
					t.Fatalf("%s: changed %v err %v, want changed %v", name, changed, err, wantChanged)
				}
				got, _, err := s.SMSOutbox(ctx, "13812345678", 1, 10)
				if err != nil || len(got) != 1 || got[0].Status != want {
					t.Fatalf("%s: %+v %v, want %s", name, got, err, want)
				}
			}
			receipt := func(st domain.SMSStatus, code string) func() (bool, error) {
				return func() (bool, error) {
					return s.ApplySMSReceipt(ctx, "aliyun", domain.SMSReceipt{Ref: "ref-order", Status: st, Code: code})
				}
			}
			step("receipt before the answer", receipt(domain.SMSDelivered, "DELIVERED"), true, domain.SMSDelivered)
			step("the answer after it", func() (bool, error) {
				return s.SetSMSStatus(ctx, "ref-order", domain.SMSSent, "aliyun", "biz-1", "OK")
			}, false, domain.SMSDelivered)
			step("the same receipt again", receipt(domain.SMSDelivered, "DELIVERED"), false, domain.SMSDelivered)
			step("a failure after delivery", receipt(domain.SMSFailed, "MK:0001"), false, domain.SMSDelivered)
			got, _, _ := s.SMSOutbox(ctx, "13812345678", 1, 10)
			if got[0].ProviderID != "biz-1" || got[0].ProviderCode != "DELIVERED" {
				t.Errorf("provider id %q code %q", got[0].ProviderID, got[0].ProviderCode)
			}
			if _, err := s.ApplySMSReceipt(ctx, "aliyun", domain.SMSReceipt{Ref: "nobody", Status: domain.SMSDelivered}); !domain.IsCode(err, domain.CodeNotFound) {
				t.Errorf("unknown reference: %v", err)
			}
			// By the provider's id when the receipt has no reference (Tencent Cloud).
			if changed, err := s.ApplySMSReceipt(ctx, "aliyun", domain.SMSReceipt{ProviderID: "biz-1", Phone: "13812345678", Status: domain.SMSDelivered}); err != nil || changed {
				t.Errorf("by provider id: %v %v", changed, err)
			}

			r := domain.SMSReply{ID: "seq-1", Phone: "13812345678", Text: "1", At: now}
			if _, fresh, err := s.RecordSMSReply(ctx, "aliyun", r, 7); err != nil || !fresh {
				t.Fatalf("first reply: %v %v", fresh, err)
			}
			if _, fresh, err := s.RecordSMSReply(ctx, "aliyun", r, 7); err != nil || fresh {
				t.Errorf("the same reply again: fresh %v, err %v", fresh, err)
			}
			if _, fresh, err := s.RecordSMSReply(ctx, "tencent", r, 7); err != nil || !fresh {
				t.Errorf("the same id from the other provider: fresh %v, err %v", fresh, err)
			}
		})
	}
}
