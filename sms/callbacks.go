package sms

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"lingong/domain"
)

// Callbacks reads the providers' callbacks: app.SMSCallbacks. The providers do not sign their
// callbacks in a way a receiver can check (Alibaba Cloud pushes plain JSON; Tencent Cloud likewise), so
// the callback URL we register carries a secret token (LINGONG_SMS_CALLBACK_TOKEN) that app checks;
// replays are harmless by construction (a receipt only moves a message forward, a reply is kept once
// under the provider's id).
type Callbacks struct{}

var beijing = time.FixedZone("CST", 8*3600)

// providers' times are Beijing wall-clock "2006-01-02 15:04:05".
func parseBeijing(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", strings.TrimSpace(s), beijing)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// arrayOrOne decodes a JSON array of T, or a single T (Tencent Cloud sends one reply per call).
func arrayOrOne[T any](body []byte) ([]T, error) {
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '{' {
		var one T
		if err := json.Unmarshal(body, &one); err != nil {
			return nil, err
		}
		return []T{one}, nil
	}
	var many []T
	err := json.Unmarshal(body, &many)
	return many, err
}

// ParseReceipts reads delivery receipts: Alibaba Cloud's SmsReport (out_id is our reference) and
// Tencent Cloud's status callback (sid is the SerialNo, matched with the phone).
func (Callbacks) ParseReceipts(provider string, body []byte) ([]domain.SMSReceipt, error) {
	switch provider {
	case "aliyun":
		rows, err := arrayOrOne[struct {
			PhoneNumber string `json:"phone_number"`
			ReportTime  string `json:"report_time"`
			Success     bool   `json:"success"`
			ErrCode     string `json:"err_code"`
			BizID       string `json:"biz_id"`
			OutID       string `json:"out_id"`
		}](body)
		if err != nil {
			return nil, err
		}
		out := make([]domain.SMSReceipt, 0, len(rows))
		for _, r := range rows {
			st := domain.SMSDelivered
			if !r.Success {
				st = domain.SMSFailed
			}
			out = append(out, domain.SMSReceipt{Ref: r.OutID, ProviderID: r.BizID, Phone: r.PhoneNumber, Status: st,
				Code: "aliyun:" + r.ErrCode, At: parseBeijing(r.ReportTime)})
		}
		return out, nil
	case "tencent":
		rows, err := arrayOrOne[struct {
			Mobile          string `json:"mobile"`
			ReportStatus    string `json:"report_status"`
			ErrMsg          string `json:"errmsg"`
			SID             string `json:"sid"`
			UserReceiveTime string `json:"user_receive_time"`
		}](body)
		if err != nil {
			return nil, err
		}
		out := make([]domain.SMSReceipt, 0, len(rows))
		for _, r := range rows {
			st := domain.SMSDelivered
			if r.ReportStatus != "SUCCESS" {
				st = domain.SMSFailed
			}
			out = append(out, domain.SMSReceipt{ProviderID: r.SID, Phone: strings.TrimPrefix(r.Mobile, "+86"), Status: st,
				Code: "tencent:" + r.ErrMsg, At: parseBeijing(r.UserReceiveTime)})
		}
		return out, nil
	}
	return nil, fmt.Errorf("sms: no provider %q", provider)
}

// ParseReplies reads replies (上行短信): Alibaba Cloud's SmsUp (sequence_id identifies a reply) and
// Tencent Cloud's reply callback (no id: a digest of phone, time and text stands for one, so the same
// reply delivered twice is recognised).
func (Callbacks) ParseReplies(provider string, body []byte) ([]domain.SMSReply, error) {
	switch provider {
	case "aliyun":
		rows, err := arrayOrOne[struct {
			PhoneNumber string          `json:"phone_number"`
			SendTime    string          `json:"send_time"`
			Content     string          `json:"content"`
			SequenceID  json.RawMessage `json:"sequence_id"`
		}](body)
		if err != nil {
			return nil, err
		}
		out := make([]domain.SMSReply, 0, len(rows))
		for _, r := range rows {
			id := strings.Trim(string(r.SequenceID), `"`)
			if id == "" {
				return nil, fmt.Errorf("sms: aliyun reply without sequence_id")
			}
			out = append(out, domain.SMSReply{ID: id, Phone: r.PhoneNumber, Text: r.Content, At: parseBeijing(r.SendTime)})
		}
		return out, nil
	case "tencent":
		rows, err := arrayOrOne[struct {
			Mobile string          `json:"mobile"`
			Text   string          `json:"text"`
			Time   json.RawMessage `json:"time"`
		}](body)
		if err != nil {
			return nil, err
		}
		out := make([]domain.SMSReply, 0, len(rows))
		for _, r := range rows {
			sum := sha256.Sum256([]byte(r.Mobile + "\x00" + string(r.Time) + "\x00" + r.Text))
			var at time.Time
			var sec int64
			if json.Unmarshal(r.Time, &sec) == nil && sec > 0 {
				at = time.Unix(sec, 0).UTC()
			}
			out = append(out, domain.SMSReply{ID: hex.EncodeToString(sum[:16]), Phone: strings.TrimPrefix(r.Mobile, "+86"), Text: r.Text, At: at})
		}
		return out, nil
	}
	return nil, fmt.Errorf("sms: no provider %q", provider)
}
