package domain

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Text messages. Every SMS the product sends is one of a few kinds, each an approved provider template
// with named variables: providers refuse free-form text, so the use cases never write a message body,
// they choose a kind and fill its variables. The templates' texts are one file, sms_templates.tsv,
// which is what gets submitted for approval; the built-in outbox driver renders them locally.

//go:embed sms_templates.tsv
var smsTemplatesTSV string

// SMSKind is one of the product's message templates (the first column of sms_templates.tsv).
type SMSKind string

// The kinds of message, one per template.
const (
	SMSLoginCode       SMSKind = "code_login"
	SMSConfirmCode     SMSKind = "code_confirm"
	SMSPush            SMSKind = "push"
	SMSOffer           SMSKind = "offer"
	SMSAccepted        SMSKind = "accepted"
	SMSContractChanged SMSKind = "contract_changed"
	SMSWagePayment     SMSKind = "wage_payment"
	SMSWageWeigh       SMSKind = "wage_weigh"
	SMSArrears         SMSKind = "arrears"
	SMSCancelled       SMSKind = "contract_cancelled"
	SMSEndedEarly      SMSKind = "contract_ended" // a started contract ended early, to the other party
	SMSReplyDone       SMSKind = "reply_done"
	SMSReplyRefused    SMSKind = "reply_refused"
	SMSReplySign       SMSKind = "reply_sign"
	SMSReplyHelp       SMSKind = "reply_help"
	SMSCoverMissing    SMSKind = "cover_missing"   // the day before a working day without accident cover
	SMSContestDecided  SMSKind = "no_show_contest" // the station's decision on a no-show the worker contested online
)

// The questions a message may ask, which an SMS reply answers (SMSTemplate.Asks).
const (
	AsksPush     = "push"     // 回复1报名 / TD 退订; the subject is the gig
	AsksOffer    = "offer"    // 回复1接受; the subject is the application (offer)
	AsksWage     = "wage"     // 回复Y确认 / N有异议; the subject is the ledger entry
	AsksContract = "contract" // a contract to sign: never by reply
)

// Limits of the providers' templates that the product keeps (documented in sms_templates.tsv): a code
// template has one variable of 4–6 characters; any other variable is at most SMSVarMax characters
// (Alibaba Cloud's limit for notification templates); a whole message at most SMSMaxChars.
const (
	SMSVarMax   = 35
	SMSMaxChars = 500
)

// SMSTemplate is one line of sms_templates.tsv.
type SMSTemplate struct {
	Kind    SMSKind
	Purpose string   // otp | push | ticket | notice
	Asks    string   // the question a reply answers, or ""
	Vars    []string // the variables, in template order (Tencent Cloud numbers them {1}, {2} ... in this order)
	Text    string   // the approved text, variables as ${name}
}

var smsVarRe = regexp.MustCompile(`\$\{([a-z_]+)\}`)

// smsTemplates are the templates by kind, parsed once; a malformed file stops the program at start.
var smsTemplates = func() map[SMSKind]SMSTemplate {
	out := map[SMSKind]SMSTemplate{}
	for n, line := range strings.Split(smsTemplatesTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			panic(fmt.Sprintf("sms_templates.tsv line %d: %d fields, want 5", n+1, len(f)))
		}
		t := SMSTemplate{Kind: SMSKind(f[0]), Purpose: f[1], Asks: f[2], Vars: strings.Split(f[3], ","), Text: f[4]}
		var inText []string
		for _, m := range smsVarRe.FindAllStringSubmatch(t.Text, -1) {
			inText = append(inText, m[1])
		}
		if !slices.Equal(inText, t.Vars) {
			panic(fmt.Sprintf("sms_templates.tsv line %d: variables %v, text has %v", n+1, t.Vars, inText))
		}
		out[t.Kind] = t
	}
	return out
}()

// SMSTemplates returns every template, in the file's order of kinds (sorted by kind).
func SMSTemplates() []SMSTemplate {
	out := make([]SMSTemplate, 0, len(smsTemplates))
	for _, t := range smsTemplates {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b SMSTemplate) int { return strings.Compare(string(a.Kind), string(b.Kind)) })
	return out
}

// Template returns the kind's template; ok is false for an unknown kind.
func (k SMSKind) Template() (SMSTemplate, bool) {
	t, ok := smsTemplates[k]
	return t, ok
}

// SMS is a message a use case asks to send: a template kind and its variables, to a phone, and what a
// reply to it would answer (Subject: the gig, offer or ledger entry its question is about).
type SMS struct {
	Kind     SMSKind
	Params   map[string]string
	WorkerID int64 // the worker it is for, or 0
	Subject  int64
}

// Prepare checks the message against its template: every variable present and no other, codes of 4–6
// digits, other variables cut to SMSVarMax characters (the variables are names, titles and amounts the
// product chose; cutting one keeps the message sendable). It returns the template and the variables
// to send.
func (m SMS) Prepare() (SMSTemplate, map[string]string, error) {
	t, ok := m.Kind.Template()
	if !ok {
		return t, nil, fmt.Errorf("sms: unknown template %q", m.Kind)
	}
	if len(m.Params) != len(t.Vars) {
		return t, nil, fmt.Errorf("sms %s: %d variables, the template has %d", m.Kind, len(m.Params), len(t.Vars))
	}
	out := make(map[string]string, len(t.Vars))
	for _, v := range t.Vars {
		val, ok := m.Params[v]
		if !ok {
			return t, nil, fmt.Errorf("sms %s: variable %s missing", m.Kind, v)
		}
		if t.Purpose == "otp" {
			if len(val) < 4 || len(val) > 6 || strings.Trim(val, "0123456789") != "" {
				return t, nil, fmt.Errorf("sms %s: a code is 4-6 digits", m.Kind)
			}
		} else {
			val = strings.TrimSpace(val)
			if len([]rune(val)) > SMSVarMax {
				val = TruncateRunes(val, SMSVarMax-1) // with its "…", SMSVarMax characters
			}
			if val == "" {
				val = "-" // providers refuse an empty variable
			}
		}
		out[v] = val
	}
	return t, out, nil
}

// Render is the message's text as the phone shows it, the signature first (【签名】正文).
func (t SMSTemplate) Render(signName string, params map[string]string) string {
	body := smsVarRe.ReplaceAllStringFunc(t.Text, func(v string) string { return params[v[2:len(v)-1]] })
	return "【" + signName + "】" + body
}

// Ordered is the variables in template order (Tencent Cloud's TemplateParamSet).
func (t SMSTemplate) Ordered(params map[string]string) []string {
	out := make([]string, len(t.Vars))
	for i, v := range t.Vars {
		out[i] = params[v]
	}
	return out
}

// MaskedParams is params as they may be stored and shown: a code template's code is replaced by
// asterisks (a live code in the outbox would let whoever reads it log in).
func (t SMSTemplate) MaskedParams(params map[string]string) map[string]string {
	out := make(map[string]string, len(params))
	for k, v := range params {
		if t.Purpose == "otp" {
			v = strings.Repeat("*", len(v))
		}
		out[k] = v
	}
	return out
}

// SMSStatus is where a message is: queued (recorded, not yet accepted by a provider), sent (accepted),
// delivered (the phone got it, per the provider's receipt) or failed (refused or undeliverable, with
// the provider's code). Delivered and failed are final.
type SMSStatus string

// The states of a message.
const (
	SMSQueued    SMSStatus = "queued"
	SMSSent      SMSStatus = "sent"
	SMSDelivered SMSStatus = "delivered"
	SMSFailed    SMSStatus = "failed"
)

// Rank orders the states so that a late or repeated receipt never moves a message back: a state only
// replaces one of lower rank.
func (s SMSStatus) Rank() int {
	switch s {
	case SMSQueued:
		return 0
	case SMSSent:
		return 1
	case SMSDelivered, SMSFailed:
		return 2
	}
	return -1
}

// Label is the state's Chinese name.
func (s SMSStatus) Label() string {
	switch s {
	case SMSQueued:
		return "待发送"
	case SMSSent:
		return "已发出"
	case SMSDelivered:
		return "已送达"
	case SMSFailed:
		return "发送失败"
	}
	return string(s)
}

// SMSFailureStreak is how many messages in a row must fail to reach a worker before the console flags
// the worker for staff to call.
const SMSFailureStreak = 3

// SMSReceipt is a provider's report on one message: its state and the provider's code.
type SMSReceipt struct {
	Ref        string // our reference (Alibaba Cloud OutId, Tencent Cloud SessionContext)
	ProviderID string // the provider's id (BizId / SerialNo), when the reference is missing
	Phone      string
	Status     SMSStatus // delivered or failed
	Code       string    // the provider's status code, e.g. DELIVERED, MK:0001
	At         time.Time
}

// SMSReply is a message a worker sent back (上行短信).
type SMSReply struct {
	ID    string // the provider's id of the reply, or a digest of it: a repeated callback has the same
	Phone string
	Text  string
	At    time.Time
}

// SMSReplyCommand is what a worker's reply says.
type SMSReplyCommand int

// The replies the product understands.
const (
	ReplyUnknown SMSReplyCommand = iota
	ReplyOne                     // 1: 报名 / 接受
	ReplyYes                     // Y: 确认
	ReplyNo                      // N: 有异议 (the rest of the text is the reason)
	ReplyOptOut                  // TD: 退订推荐
	ReplySign                    // 签 / 签约: asks to sign, which needs the web or a station
)

// ParseSMSReply reads a reply as typed on a feature phone: full-width letters and digits folded,
// case and spaces ignored, a few Chinese words accepted (是/确认, 否/不对/异议, 退订, 签约). For N it
// also returns the rest of the text, the reason of a dispute.
func ParseSMSReply(text string) (SMSReplyCommand, string) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(text) {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
			r -= 0xFEE0
		case r == '　':
			r = ' '
		}
		b.WriteRune(r)
	}
	s := strings.ToUpper(strings.TrimSpace(b.String()))
	s = strings.TrimRight(s, "。.!！ ")
	switch s {
	case "1", "１":
		return ReplyOne, ""
	case "Y", "YES", "是", "确认", "收到":
		return ReplyYes, ""
	case "TD", "T", "退订", "N TD":
		return ReplyOptOut, ""
	case "签", "签约", "签字", "签合同", "QY":
		return ReplySign, ""
	}
	for _, p := range []string{"N", "否", "不对", "异议", "有异议"} {
		if rest, ok := strings.CutPrefix(s, p); ok && (p != "N" || rest == "" || !isASCIILetter(rest[0])) {
			return ReplyNo, strings.TrimLeft(strings.TrimSpace(rest), "，,：:")
		}
	}
	return ReplyUnknown, ""
}

func isASCIILetter(c byte) bool { return c >= 'A' && c <= 'Z' }
