package domain

import (
	"strings"
	"testing"
)

// Every kind the code names has a template, and every template a kind: the file is what gets
// submitted for approval, so a kind without a line would be refused by the provider.
func TestEveryKindHasATemplate(t *testing.T) {
	kinds := []SMSKind{SMSLoginCode, SMSConfirmCode, SMSPush, SMSOffer, SMSAccepted, SMSContractChanged, SMSWagePayment,
		SMSWageWeigh, SMSArrears, SMSCancelled, SMSEndedEarly, SMSReplyDone, SMSReplyRefused, SMSReplySign, SMSReplyHelp, SMSCoverMissing,
		SMSContestDecided}
	for _, k := range kinds {
		tp, ok := k.Template()
		if !ok {
			t.Errorf("%s has no line in sms_templates.tsv", k)
			continue
		}
		if strings.ContainsAny(tp.Text, "【】") {
			t.Errorf("%s: the provider adds the signature; the text must not carry 【】", k)
		}
	}
	if n := len(SMSTemplates()); n != len(kinds) {
		t.Errorf("%d templates, %d kinds", n, len(kinds))
	}
	// The code templates state the code's lifetime; it must be the real one.
	for _, k := range []SMSKind{SMSLoginCode, SMSConfirmCode} {
		tp, _ := k.Template()
		if OTPTTL.Minutes() != 5 || !strings.Contains(tp.Text, "5分钟") || tp.Purpose != "otp" || len(tp.Vars) != 1 {
			t.Errorf("%s: %+v (code lifetime %v)", k, tp, OTPTTL)
		}
	}
}

// Prepare at the limits: a code of 4 and 6 digits passes, 3 and 7 do not; a variable of 35
// characters is kept whole and one of 36 cut to 35; a missing or extra variable is refused.
func TestPrepareAtTheProvidersLimits(t *testing.T) {
	for code, ok := range map[string]bool{"1234": true, "123456": true, "123": false, "1234567": false, "12a456": false} {
		_, _, err := SMS{Kind: SMSLoginCode, Params: map[string]string{"code": code}}.Prepare()
		if (err == nil) != ok {
			t.Errorf("code %q: err %v", code, err)
		}
	}
	exact, over := strings.Repeat("枸", SMSVarMax), strings.Repeat("杞", SMSVarMax+1)
	_, p, err := SMS{Kind: SMSReplyDone, Params: map[string]string{"what": exact}}.Prepare()
	if err != nil || p["what"] != exact {
		t.Errorf("35 characters: %q %v", p["what"], err)
	}
	_, p, _ = SMS{Kind: SMSReplyDone, Params: map[string]string{"what": over}}.Prepare()
	if n := len([]rune(p["what"])); n != SMSVarMax {
		t.Errorf("36 characters became %d", n)
	}
	if _, _, err := (SMS{Kind: SMSReplyDone, Params: map[string]string{}}).Prepare(); err == nil {
		t.Error("a missing variable passed")
	}
	if _, _, err := (SMS{Kind: SMSReplyDone, Params: map[string]string{"what": "x", "more": "y"}}).Prepare(); err == nil {
		t.Error("an extra variable passed")
	}
	if _, _, err := (SMS{Kind: "free_text", Params: nil}).Prepare(); err == nil {
		t.Error("an unknown kind passed")
	}
	// Codes are masked for storage; the rendered text has the signature in front.
	tp, p, _ := SMS{Kind: SMSLoginCode, Params: map[string]string{"code": "482913"}}.Prepare()
	if m := tp.MaskedParams(p); m["code"] != "******" {
		t.Errorf("masked %v", m)
	}
	if got := tp.Render("中卫零工", p); !strings.HasPrefix(got, "【中卫零工】验证码482913，") {
		t.Errorf("rendered %q", got)
	}
}

// Replies as a feature phone types them.
func TestParseSMSReply(t *testing.T) {
	cases := []struct {
		in   string
		cmd  SMSReplyCommand
		rest string
	}{
		{"1", ReplyOne, ""}, {" １ ", ReplyOne, ""}, {"y", ReplyYes, ""}, {"Ｙ", ReplyYes, ""}, {"确认", ReplyYes, ""},
		{"N", ReplyNo, ""}, {"n 只收到20元", ReplyNo, "只收到20元"}, {"N，少记5斤", ReplyNo, "少记5斤"}, {"不对", ReplyNo, ""},
		{"td", ReplyOptOut, ""}, {"退订", ReplyOptOut, ""}, {"签约", ReplySign, ""},
		{"NO", ReplyUnknown, ""}, {"12", ReplyUnknown, ""}, {"明天几点到", ReplyUnknown, ""}, {"", ReplyUnknown, ""},
	}
	for _, c := range cases {
		cmd, rest := ParseSMSReply(c.in)
		if cmd != c.cmd || rest != c.rest {
			t.Errorf("%q: %d %q, want %d %q", c.in, cmd, rest, c.cmd, c.rest)
		}
	}
}
