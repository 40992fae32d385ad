package console

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/domain"
)

// Protection forms (issue 22): the wage guarantee of an employer (record a deposit, repayment or
// refund from a bank receipt, confirm another's), 先行垫付 on an arrears alert, and an accident cover
// declared for a walk-in employer with the policy's scan. Each posts to the same use case as the API.

// --- The wage guarantee (工资保证金) ---

type consoleGuaranteeData struct {
	Employer domain.Employer
	Account  domain.GuaranteeAccount
	Today    domain.Date
	Idem     string
	Form     map[string]string
	Error    string
	Field    string
}

var guaranteeFields = []string{"kind", "amount", "bank_reference", "value_date", "note"}

// consoleGuarantee is GET /console/employers/{id}/guarantee: the account, its lines with a confirm
// button on those awaiting a second person, and the form for a bank receipt.
func (s *Console) consoleGuarantee(c *gin.Context) {
	s.showGuarantee(c, http.StatusOK, func(*consoleGuaranteeData) {})
}

func (s *Console) showGuarantee(c *gin.Context, status int, fill func(*consoleGuaranteeData)) {
	id, err := kit.PathID(c, "id", "用工单位")
	if err != nil {
		s.Fail(c, err)
		return
	}
	ctx, p := c.Request.Context(), kit.Principal(c)
	d := consoleGuaranteeData{Today: s.Today(), Idem: kit.NewToken(), Form: map[string]string{}}
	if d.Account, err = s.App.GuaranteeAccount(ctx, p, id); err != nil {
		s.Fail(c, err)
		return
	}
	if d.Employer, err = s.App.Employer(ctx, p, id); err != nil {
		s.Fail(c, err)
		return
	}
	fill(&d)
	s.renderConsole(c, status, "console_guarantee", "工资保证金 · "+d.Employer.Name, "employers", d)
}

// consoleRecordGuarantee is POST /console/employers/{id}/guarantee: a bank receipt (amount in yuan).
func (s *Console) consoleRecordGuarantee(c *gin.Context) {
	form := map[string]string{}
	for _, k := range guaranteeFields {
		form[k] = c.PostForm(k)
	}
	id, err := kit.PathID(c, "id", "用工单位")
	if err != nil {
		s.Fail(c, err)
		return
	}
	_, _, err = s.idem.Form(c, func(ctx context.Context) (any, error) {
		fen, err := domain.ParseYuan("amount_fen", form["amount"])
		if err != nil {
			return nil, err
		}
		return s.App.RecordGuarantee(ctx, kit.Principal(c), id, domain.GuaranteeInput{Kind: domain.GuaranteeKind(form["kind"]), AmountFen: fen,
			BankReference: form["bank_reference"], ValueDate: domain.Date(strings.TrimSpace(form["value_date"])), Note: form["note"]})
	})
	if err == nil {
		done := "已登记，须由另一位工作人员或管理员复核后计入余额"
		if domain.GuaranteeKind(form["kind"]) == domain.GuaranteeRefund {
			done = "已登记退还，已从余额减去；回单须由另一位工作人员或管理员复核"
		}
		s.Flash(c, "ok", done)
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/employers/%d/guarantee", id))
		return
	}
	if !kit.StaysOnForm(err) {
		s.Fail(c, err)
		return
	}
	e := domain.AsError(err)
	s.showGuarantee(c, kit.CodeStatus(e.Code), func(d *consoleGuaranteeData) { d.Error, d.Field, d.Form = e.Message, e.Field, form })
}

// consoleConfirmGuarantee is POST /console/guarantee/{id}/confirm: the second person's check.
func (s *Console) consoleConfirmGuarantee(c *gin.Context) {
	id, err := kit.PathID(c, "id", "保证金记录")
	if err != nil {
		s.Fail(c, err)
		return
	}
	employer, _ := strconv.ParseInt(c.PostForm("employer_id"), 10, 64)
	_, err = s.App.ConfirmGuarantee(c.Request.Context(), kit.Principal(c), id)
	s.back(c, fmt.Sprintf("/console/employers/%d/guarantee", employer), err, "已复核这张回单")
}

// --- 先行垫付 on an arrears alert ---

// consoleAdvance is POST /console/arrears/{id}/advance: pay the worker of the alert from the
// employer's guarantee (amount in yuan).
func (s *Console) consoleAdvance(c *gin.Context) {
	id, err := kit.PathID(c, "id", "欠薪预警")
	if err != nil {
		s.Fail(c, err)
		return
	}
	var r app.AdvanceResult
	fen, err := domain.ParseYuan("amount_fen", c.PostForm("amount"))
	if err == nil {
		r, err = s.App.AdvanceWages(c.Request.Context(), kit.Principal(c), id, app.Advance{AmountFen: fen, Note: c.PostForm("note")})
	}
	if err != nil {
		if !kit.StaysOnForm(err) {
			s.Fail(c, err)
			return
		}
		s.Flash(c, "error", "垫付未办理："+domain.AsError(err).Message)
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/arrears#alert-%d", id))
		return
	}
	s.Flash(c, "ok", fmt.Sprintf("已从保证金垫付 %s 元，零工会收到短信确认；保证金余额 %s 元", domain.FormatYuan(r.Payment.AmountFen), domain.FormatYuan(r.Account.HeldFen)))
	c.Redirect(http.StatusSeeOther, "/console/arrears")
}

// --- An accident cover declared for a walk-in employer ---

type consoleCoverData struct {
	Job    domain.Job
	Status app.ProtectionStatus
	Note   string
	Form   map[string]string
	Error  string
	Field  string
}

var coverFields = []string{"kind", "insurer", "policy_number", "cover", "valid_from", "valid_to"}

// consoleCoverPage is GET /console/gigs/{id}/cover: the declaration form (own policy with its scan, or
// the city's group policy).
func (s *Console) consoleCoverPage(c *gin.Context) {
	s.showCover(c, http.StatusOK, func(*consoleCoverData) {})
}

func (s *Console) showCover(c *gin.Context, status int, fill func(*consoleCoverData)) {
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		s.Fail(c, err)
		return
	}
	st, err := s.App.JobCoverStatus(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	j, _, err := s.App.JobCover(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := consoleCoverData{Job: j, Status: st, Note: app.CoverNote(st), Form: map[string]string{"kind": "own"}}
	fill(&d)
	s.renderConsole(c, status, "console_cover", "意外保险 · "+j.Title, "gigs", d)
}

// consoleDeclareCover is POST /console/gigs/{id}/cover (multipart, the scan as a file): declared for
// the employer, as PUT /api/v1/jobs/{id}/cover.
func (s *Console) consoleDeclareCover(c *gin.Context) {
	form := map[string]string{}
	for _, k := range coverFields {
		form[k] = c.PostForm(k)
	}
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := domain.CoverDeclaration{Kind: domain.CoverKind(form["kind"])}
	if d.Kind == domain.CoverOwn {
		d.Policy = domain.Policy{Insurer: form["insurer"], PolicyNumber: form["policy_number"],
			ValidFrom: domain.Date(strings.TrimSpace(form["valid_from"])), ValidTo: domain.Date(strings.TrimSpace(form["valid_to"]))}
		if d.Policy.CoverFen, err = domain.ParseYuan("cover_fen", form["cover"]); err == nil {
			d.Scan, err = uploadedScan(c)
		}
	}
	if err == nil {
		_, err = s.App.DeclareCover(c.Request.Context(), kit.Principal(c), id, d)
	}
	if err == nil {
		s.Flash(c, "ok", "已为用工方申报意外保险；自有保单须在审核时核对照片")
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/gigs/%d", id))
		return
	}
	if !kit.StaysOnForm(err) {
		s.Fail(c, err)
		return
	}
	e := domain.AsError(err)
	s.showCover(c, kit.CodeStatus(e.Code), func(d *consoleCoverData) { d.Error, d.Field, d.Form = e.Message, e.Field, form })
}

// uploadedScan reads the policy's photo or scan from the form (at most domain.MaxScanBytes).
func uploadedScan(c *gin.Context) ([]byte, error) {
	fh, err := c.FormFile("scan")
	if err != nil {
		return nil, domain.Invalid("scan_base64", "请上传保单的照片或扫描件（JPG、PNG 或 PDF）")
	}
	if fh.Size > domain.MaxScanBytes {
		return nil, domain.Invalidf("scan_base64", "保单照片最大 %d KB，请缩小后再上传", domain.MaxScanBytes>>10)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, domain.Invalid("scan_base64", "读不出上传的文件，请重新选择")
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, domain.MaxScanBytes+1))
}
