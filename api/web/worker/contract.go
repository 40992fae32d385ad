package worker

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/contracts"
	"lingong/domain"
)

// The worker's contract page: read the terms in plain words, get a confirmation code by SMS, type it,
// and the contract is confirmed. Plain forms; no JavaScript needed.

type contractPageView struct {
	Contract         domain.Contract
	Terms            contracts.Terms
	StatusText       string
	NeedsMySignature bool
	Signatures       []domain.SignatureEvent
	CodeSent         string // the masked phone a code was just sent to
	Error            string
	Field            string
	Notice           string
	CSRF             string
	ApplicationID    int64
	// The settlement record (结算记录): lines with the worker's answers, the balance, and which line an
	// error or a notice is about.
	Ledger      []ledgerRow
	Balance     domain.Balance
	LedgerEntry int64 // the line Error is about (0: the signing form)
	// Withdraw is whether the worker may still withdraw (before the first day starts) and what it costs.
	Withdraw app.WithdrawOutlook
	// Ending is the contract's early ending as printed ("" when none). EndEarly says whether the worker
	// may end it early now (active, started, and today before its last day), from Today to LastPossible.
	Ending              string
	EndEarly            bool
	Today, LastPossible domain.Date
	// NoShows are the contract's absences as the worker sees them, each with whether it may still be
	// contested; NoShow is the one Error is about (0: none).
	NoShows []noShowRow
	NoShow  int64
}

// noShowRow is one absence on the worker's contract page: where it stands in words.
type noShowRow struct {
	domain.NoShow
	StateText string
}

// noShowRows says in plain words where each absence stands.
func noShowRows(list []domain.NoShow) []noShowRow {
	out := make([]noShowRow, len(list))
	for i, n := range list {
		r := noShowRow{NoShow: n}
		switch {
		case n.Status == domain.NoShowMarked:
			r.StateText = "没签到，等用工方核实（您当天在场的，请告诉用工方更正）"
		case n.Status == domain.NoShowCorrected:
			r.StateText = "用工方已更正：您当天在场，不记缺勤"
		case n.Contest == domain.ContestUpheld:
			r.StateText = "申诉成立，不计入爽约次数（" + n.ContestReason + "）"
		case n.Contest == domain.ContestRejected:
			r.StateText = "申诉不成立，计入爽约次数（" + n.ContestReason + "）"
		case n.ContestRequestedAt != nil:
			r.StateText = "已申诉，等签发驿站处理，结果会发短信告诉您"
		default:
			r.StateText = "用工方已确认，计入爽约次数"
		}
		out[i] = r
	}
	return out
}

// ledgerRow is one ledger line as the worker's page shows it: what it is, and what the worker can do.
type ledgerRow struct {
	domain.LedgerLine
	KindText   string
	StateText  string
	CanConfirm bool // an unanswered payment
	CanDispute bool // any unanswered work or payment line
}

// ledgerRows prepares ledger lines for the worker's page.
func ledgerRows(lines []domain.LedgerLine) []ledgerRow {
	out := make([]ledgerRow, len(lines))
	for i, l := range lines {
		r := ledgerRow{LedgerLine: l}
		switch l.Kind {
		case domain.LedgerWork:
			r.KindText = "干活"
			if strings.HasPrefix(l.Note, "过秤") {
				r.KindText = "过秤"
			}
		case domain.LedgerPayment:
			r.KindText = "付款"
		case domain.LedgerCancellation:
			r.KindText = "误工补偿"
		default:
			r.KindText = "更正"
		}
		switch {
		case l.Response == nil && l.Kind != domain.LedgerCorrection:
			r.StateText, r.CanDispute, r.CanConfirm = "待确认", true, l.Kind == domain.LedgerPayment
			if l.Kind == domain.LedgerWork {
				r.StateText = ""
			}
		case l.Response == nil:
		case l.Response.Response == "confirm":
			r.StateText = "已确认收到"
		case l.Response.ResolvedAt != nil:
			r.StateText = "异议已处理：" + l.Response.Resolution
		default:
			r.StateText = "有异议，驿站处理中"
		}
		out[i] = r
	}
	return out
}

// meContractPage is GET /me/contracts/{id}.
func (s *Pages) meContractPage(c *gin.Context) {
	s.showMeContract(c, http.StatusOK, func(v *contractPageView) {
		switch {
		case c.Query("sent") != "":
			v.CodeSent = c.Query("sent")
		case c.Query("signed") != "":
			v.Notice = "您已确认这份合约。用工方也确认后，合约即生效。"
		case c.Query("answered") == "confirm":
			v.Notice = "已确认收到这笔钱。"
		case c.Query("answered") == "dispute":
			v.Notice = "异议已提交，签发站点会联系您处理。"
		case c.Query("withdrew") == "late":
			v.Notice = "您已退出这份工。离开工不到规定时间，记了一次爽约；有正当理由可以到签发驿站申诉。"
		case c.Query("contested") != "":
			v.Notice = "申诉已提出。签发驿站会听取您和用工方的说法后处理，结果会发短信告诉您。"
		case c.Query("ended") != "":
			v.Notice = "这份工已提前结束，之后的日子不用再去，不记缺勤；已记的工钱照常结算。用工方会收到短信。"
		case c.Query("withdrew") != "":
			v.Notice = "您已退出这份工，不影响您的记录。"
		}
	})
}

func (s *Pages) showMeContract(c *gin.Context, status int, adjust func(*contractPageView)) {
	rec, err := s.ContractParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ct := rec.Contract
	p := kit.Principal(c)
	csrf, err := s.App.CSRFToken(c.Request.Context(), p)
	if err != nil {
		s.Fail(c, err)
		return
	}
	_, lines, bal, err := s.App.Ledger(c.Request.Context(), p, ct.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v := &contractPageView{Contract: ct, Terms: rec.Terms, StatusText: ct.Status.Label(), Signatures: rec.Signatures, CSRF: csrf,
		NeedsMySignature: ct.Status == domain.ContractDraft && !rec.SignedBy(domain.SignerWorker), ApplicationID: ct.ApplicationID,
		Ledger: ledgerRows(lines), Balance: bal, Withdraw: s.App.WithdrawOutlookOf(ct, rec.Terms.Hours.Shifts)}
	if v.Ending, err = s.App.EndingNote(c.Request.Context(), ct.ID); err != nil {
		s.Fail(c, err)
		return
	}
	noShows, err := s.App.ContractNoShows(c.Request.Context(), p, ct.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	v.NoShows = noShowRows(noShows)
	v.Today, v.LastPossible = domain.DateOf(s.App.Now()), ct.EndDate.AddDays(-1)
	v.EndEarly = ct.Status == domain.ContractActive && !v.Withdraw.Open && v.Today <= v.LastPossible && ct.StartDate <= v.LastPossible
	if adjust != nil {
		adjust(v)
	}
	s.Render(c, status, "me_contract", "合约 "+ct.Number, v)
}

// meContractCode is POST /me/contracts/{id}/code: send the confirmation code.
func (s *Pages) meContractCode(c *gin.Context) {
	p := kit.Principal(c)
	// Only for a contract of the worker's own: another's contract id sends nothing (not found).
	if _, err := s.ContractParam(c); err != nil {
		s.Fail(c, err)
		return
	}
	sent, err := s.App.SendConfirmCode(c.Request.Context(), p)
	if err != nil {
		e := domain.AsError(err)
		s.showMeContract(c, kit.CodeStatus(e.Code), func(v *contractPageView) { v.Error, v.Field = e.Message, "code" })
		return
	}
	c.Redirect(http.StatusSeeOther, c.Request.URL.Path[:len(c.Request.URL.Path)-len("/code")]+"?sent="+sent.SentTo)
}

// meContractSign is POST /me/contracts/{id}/sign: confirm with the code.
func (s *Pages) meContractSign(c *gin.Context) {
	p := kit.Principal(c)
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.Fail(c, err)
		return
	}
	_, err = s.App.Sign(c.Request.Context(), p, id, app.Signing{Code: c.PostForm("code"), TermsHash: c.PostForm("terms_hash"), HashShown: true})
	if err != nil {
		e := domain.AsError(err)
		if e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable {
			s.Fail(c, err)
			return
		}
		s.showMeContract(c, kit.CodeStatus(e.Code), func(v *contractPageView) { v.Error, v.Field = e.Message, "code" })
		return
	}
	c.Redirect(http.StatusSeeOther, "/me/contracts/"+strconv.FormatInt(id, 10)+"?signed=1")
}

// meContractWithdraw is POST /me/contracts/{id}/withdraw (confirm=1, reason): the worker withdraws
// before the first day; the box "我确认退出" must be ticked (the confirmation, without JavaScript).
func (s *Pages) meContractWithdraw(c *gin.Context) {
	p := kit.Principal(c)
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.Fail(c, err)
		return
	}
	err = domain.Invalid("confirm", "请勾选“我确认退出”再提交")
	var cn domain.Cancellation
	if c.PostForm("confirm") == "1" {
		cn, err = s.App.WithdrawFromContract(c.Request.Context(), p, id, c.PostForm("reason"))
	}
	if err != nil {
		e := domain.AsError(err)
		if e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable || e.Code == domain.CodeNotFound {
			s.Fail(c, err)
			return
		}
		s.showMeContract(c, kit.CodeStatus(e.Code), func(v *contractPageView) { v.Error, v.Field = e.Message, "withdraw" })
		return
	}
	how := "1"
	if cn.Late {
		how = "late"
	}
	c.Redirect(http.StatusSeeOther, "/me/contracts/"+strconv.FormatInt(id, 10)+"?withdrew="+how)
}

// meContractEndEarly is POST /me/contracts/{id}/end-early (last_day, reason, confirm=1): the worker ends
// a started contract early from today or a later day; the box "我确认提前结束" must be ticked.
func (s *Pages) meContractEndEarly(c *gin.Context) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.Fail(c, err)
		return
	}
	err = domain.Invalid("confirm", "请勾选“我确认提前结束这份工”再提交")
	if c.PostForm("confirm") == "1" {
		_, err = s.App.EndContractEarly(c.Request.Context(), kit.Principal(c), id, c.PostForm("last_day"), c.PostForm("reason"))
	}
	if err != nil {
		e := domain.AsError(err)
		if e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable || e.Code == domain.CodeNotFound {
			s.Fail(c, err)
			return
		}
		s.showMeContract(c, kit.CodeStatus(e.Code), func(v *contractPageView) { v.Error, v.Field = e.Message, "end-early" })
		return
	}
	c.Redirect(http.StatusSeeOther, "/me/contracts/"+strconv.FormatInt(id, 10)+"?ended=1")
}

// meNoShowContest is POST /me/contracts/{id}/no-shows/{ns}/contest (reason): the worker contests one of
// the contract's confirmed absences online; the issuing station decides it.
func (s *Pages) meNoShowContest(c *gin.Context) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.Fail(c, err)
		return
	}
	ns, err := kit.PathID(c, "ns", "缺勤记录")
	if err != nil {
		s.Fail(c, err)
		return
	}
	if _, err = s.App.RequestNoShowContest(c.Request.Context(), kit.Principal(c), ns, c.PostForm("reason")); err != nil {
		e := domain.AsError(err)
		if e.Code == domain.CodeInternal || e.Code == domain.CodeUnavailable || e.Code == domain.CodeNotFound {
			s.Fail(c, err)
			return
		}
		s.showMeContract(c, kit.CodeStatus(e.Code), func(v *contractPageView) { v.Error, v.Field, v.NoShow = e.Message, "no-show", ns })
		return
	}
	c.Redirect(http.StatusSeeOther, "/me/contracts/"+strconv.FormatInt(id, 10)+"?contested=1#no-shows")
}
