package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/api/web"
	"lingong/app"
	"lingong/contracts"
	"lingong/domain"
)

// The settlement screens of the console (issue 7 for issue 8): a contract's ledger with the forms to
// record work and payments, the weigh desk and its printed slip, the station's dispute queue, the
// arrears alerts, and the monthly payroll export. Each form carries, besides the CSRF token, a one-time
// key rendered with the page: a double click or a browser resubmit replays the first answer through the
// Idempotency-Key layer instead of recording the money twice.

// --- A contract's ledger ---

type consoleLedgerData struct {
	Contract   domain.Contract
	Terms      contracts.Terms
	Lines      []domain.LedgerLine
	Balance    domain.Balance
	Methods    []domain.PayMethod
	Today      domain.Date
	Idem       string
	Error      string
	Field      string
	Form       map[string]string
	Active     []domain.Contract // the find page: the station's contracts in force
	Number     string
	PieceRate  bool // paid by the 斤: the page offers 过秤
	UnitName   string
	WageText   string
	StationFor string
}

// contractsData is the settlement screen's first tab: the contracts with their ledgers.
type contractsData struct {
	Q         string
	Status    string
	Unpaid    bool
	Day       string // "today" or ""
	Statuses  []domain.ContractStatus
	Contracts []domain.ContractSummary
	Pager     pager
	Station   domain.Station
	Stations  []domain.Station
	Error     string
}

// consoleLedgerFind is GET /console/ledger[?q=&status=&unpaid=1&day=today&station=&page=]: the
// station's contracts (an admin: any station's or all) with their ledgers' balances, newest first,
// searched by contract number, worker (name, number, phone tail), employer or gig; each opens its
// ledger or the contract. ?number= is the old exact look-up: it opens that contract's ledger.
func (s *Console) consoleLedgerFind(c *gin.Context) {
	ctx := c.Request.Context()
	p := kit.Principal(c)
	d := contractsData{Statuses: []domain.ContractStatus{domain.ContractDraft, domain.ContractActive, domain.ContractCompleted, domain.ContractTerminated}}
	if number := strings.TrimSpace(c.Query("number")); number != "" {
		rec, err := s.App.ContractByNumber(ctx, p, strings.ToUpper(number))
		if err == nil {
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/contracts/%d/ledger", rec.Contract.ID))
			return
		}
		if !domain.IsCode(err, domain.CodeNotFound) && !domain.IsCode(err, domain.CodeForbidden) {
			s.Fail(c, err)
			return
		}
		d.Error = "找不到本站点的这份合约：" + number
	}
	st, err := s.consoleStation(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	q, lp, err := listQuery(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Q, d.Station, d.Status, d.Unpaid = q, st, c.Query("status"), c.Query("unpaid") == "1"
	f := domain.ContractFilter{StationID: st.ID, Q: q, Unpaid: d.Unpaid, ListPage: lp}
	if d.Status != "" {
		cs := domain.ContractStatus(d.Status)
		if cs.Label() == d.Status {
			s.Fail(c, domain.Invalid("status", "合约状态应为 draft、active、completed 或 terminated"))
			return
		}
		f.Statuses = []domain.ContractStatus{cs}
	}
	if c.Query("day") == "today" {
		d.Day, f.Day = "today", s.Today()
	}
	var total int
	if d.Contracts, total, err = s.App.ContractList(ctx, p, f); err != nil {
		s.Fail(c, err)
		return
	}
	d.Pager = newPager(c, lp, total)
	if d.Stations, err = s.stationChoice(c); err != nil {
		s.Fail(c, err)
		return
	}
	s.renderConsole(c, http.StatusOK, "console_ledger_find", "合约与台账", "ledger", d)
}

// consoleLedgerPage is GET /console/contracts/{id}/ledger: the contract's lines, balance and the forms
// to record work and a payment.
func (s *Console) consoleLedgerPage(c *gin.Context) {
	s.showConsoleLedger(c, http.StatusOK, nil)
}

func (s *Console) showConsoleLedger(c *gin.Context, status int, adjust func(*consoleLedgerData)) {
	rec, err := s.ContractParam(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	ct, terms := rec.Contract, rec.Terms
	_, lines, bal, err := s.App.Ledger(c.Request.Context(), kit.Principal(c), ct.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := consoleLedgerData{Contract: ct, Terms: terms, Lines: lines, Balance: bal, Methods: domain.PayMethods, Today: s.Today(),
		Idem: kit.NewToken(), Form: map[string]string{}, PieceRate: ct.WeighedInJin(), UnitName: web.UnitName(ct.WageUnit, ct.PieceUnit),
		WageText: ct.WageText()}
	if adjust != nil {
		adjust(&d)
	}
	s.renderConsole(c, status, "console_ledger", "结算台账 "+ct.Number, "ledger", d)
}

// consoleLedgerPost is POST /console/contracts/{id}/ledger: record work (kind=work: date, quantity,
// note) or a payment (kind=payment: amount in yuan, method, reference, note) at the desk.
func (s *Console) consoleLedgerPost(c *gin.Context) {
	form := map[string]string{}
	for _, k := range []string{"kind", "date", "quantity", "amount", "method", "reference", "note"} {
		form[k] = c.PostForm(k)
	}
	in, err := consoleLedgerInput(form)
	if err == nil {
		_, _, err = s.idem.Form(c, func(ctx context.Context) (any, error) {
			id, err := kit.IDParam(c, "id")
			if err != nil {
				return nil, err
			}
			return s.App.AppendLedger(ctx, kit.Principal(c), id, in)
		})
		if err == nil {
			s.Flash(c, "ok", "已记录")
			c.Redirect(http.StatusSeeOther, c.Request.URL.Path+"#lines")
			return
		}
	}
	if !kit.StaysOnForm(err) {
		s.Fail(c, err)
		return
	}
	e := domain.AsError(err)
	s.showConsoleLedger(c, kit.CodeStatus(e.Code), func(d *consoleLedgerData) { d.Error, d.Field, d.Form = e.Message, e.Field, form })
}

// consoleLedgerInput reads the desk's ledger form: quantities and yuan exactly, as typed.
func consoleLedgerInput(f map[string]string) (domain.LedgerInput, error) {
	var in domain.LedgerInput
	var err error
	if in.Note, err = domain.CleanText("note", f["note"], 200); err != nil {
		return in, err
	}
	switch f["kind"] {
	case "work":
		in.Kind = domain.LedgerWork
		if in.WorkDate, err = domain.ParseDate("date", strings.TrimSpace(f["date"])); err != nil {
			return in, err
		}
		q, err := domain.ParseMilli("quantity", f["quantity"])
		if err != nil {
			return in, err
		}
		in.QuantityMilli = int64(q)
	case "payment":
		in.Kind = domain.LedgerPayment
		if in.AmountFen, err = domain.ParseYuan("amount", f["amount"]); err != nil {
			return in, err
		}
		in.Method = domain.PayMethod(f["method"])
		if in.Reference, err = domain.CleanText("reference", f["reference"], 64); err != nil {
			return in, err
		}
	default:
		return in, domain.Invalid("kind", "请选择记工或付款")
	}
	return in, nil
}

// --- The weigh desk and its slip ---

type consoleWeighData struct {
	Today   domain.Date
	Idem    string
	Error   string
	Field   string
	Form    map[string]string
	Choices []domain.Contract // when the worker has several piece-rate contracts
}

// consoleWeighPage is GET /console/weigh[?contract_id=]: the weigh desk. The card field has the focus,
// so a USB scanner's keystrokes land in it.
func (s *Console) consoleWeighPage(c *gin.Context) {
	s.renderConsole(c, http.StatusOK, "console_weigh", "过秤", "weigh", consoleWeighData{Today: s.Today(), Idem: kit.NewToken(),
		Form: map[string]string{"contract_id": c.Query("contract_id"), "date": string(s.Today())}})
}

// consoleWeighPost is POST /console/weigh: write the ticket, text the picker, and open the slip to print.
func (s *Console) consoleWeighPost(c *gin.Context) {
	form := map[string]string{}
	for _, k := range []string{"card", "weight", "date", "contract_id", "note"} {
		form[k] = strings.TrimSpace(c.PostForm(k))
	}
	in, err := consoleWeighInput(form, s.Today())
	if err == nil {
		var out []byte
		out, _, err = s.idem.Form(c, func(ctx context.Context) (any, error) {
			return s.App.Weigh(ctx, kit.Principal(c), in)
		})
		if err == nil {
			var t app.WeighTicket
			if err := json.Unmarshal(out, &t); err != nil {
				s.Fail(c, domain.Internal(err))
				return
			}
			c.Redirect(http.StatusSeeOther, t.SlipURL)
			return
		}
	}
	if !kit.StaysOnForm(err) && !domain.IsCode(err, domain.CodeNotFound) {
		s.Fail(c, err)
		return
	}
	e := domain.AsError(err)
	field := e.Field
	if field == "weight_jin" {
		field = "weight" // the form's name for it
	}
	d := consoleWeighData{Today: s.Today(), Idem: kit.NewToken(), Error: e.Message, Field: field, Form: form}
	if e.Field == "contract_id" {
		d.Choices, _ = s.App.PieceContracts(c.Request.Context(), kit.Principal(c), in.Card)
	}
	s.renderConsole(c, kit.CodeStatus(e.Code), "console_weigh", "过秤", "weigh", d)
}

// consoleWeighInput reads the weigh form: the weight exactly as typed.
func consoleWeighInput(f map[string]string, today domain.Date) (app.WeighIn, error) {
	in := app.WeighIn{Card: f["card"], Date: domain.Date(f["date"]), Note: f["note"]}
	if f["weight"] != "" {
		w, err := domain.ParseMilli("weight", f["weight"])
		if err != nil {
			return in, err
		}
		in.Weight = w
	} else {
		return in, domain.Invalid("weight", "请填写重量（斤），应大于 0")
	}
	if f["contract_id"] != "" {
		id, err := strconv.ParseInt(f["contract_id"], 10, 64)
		if err != nil || id <= 0 {
			return in, domain.Invalid("contract_id", "合约编号应为数字")
		}
		in.ContractID = id
	}
	return in, nil
}

type slipData struct {
	Entry        domain.LedgerEntry
	Contract     domain.Contract
	Terms        contracts.Terms
	RateFen      int64
	DayTickets   int
	DayWeightJin domain.Milli
	DayAmountFen int64
	Response     *domain.LedgerResponse
}

// consoleSlip is GET /console/ledger/{id}/slip: a weigh slip (过秤单) to print for a picker without a
// phone: weight, rate, amount, the day's running total up to this ticket.
func (s *Console) consoleSlip(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := kit.PathID(c, "id", "过秤记录")
	if err != nil {
		s.Fail(c, err)
		return
	}
	p := kit.Principal(c)
	e, ct, err := s.App.LedgerEntry(ctx, p, id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if e.Kind != domain.LedgerWork {
		s.Fail(c, domain.NotFound("过秤记录"))
		return
	}
	rec, err := s.App.Contract(ctx, p, ct.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	_, lines, _, err := s.App.Ledger(ctx, p, ct.ID)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := slipData{Entry: e, Contract: ct, Terms: rec.Terms, RateFen: ct.WageFen}
	d.DayTickets, d.DayWeightJin, d.DayAmountFen = app.DayTotal(lines, e.WorkDate, e.ID)
	for _, l := range lines {
		if l.ID == e.ID {
			d.Response = l.Response
		}
	}
	s.renderConsole(c, http.StatusOK, "console_slip", "过秤单", "weigh", d)
}

// --- The dispute queue ---

type consoleDisputesData struct {
	Open     []domain.Dispute
	Resolved []domain.Dispute
	Show     string // "open" or "resolved"
	Q        string
	Pager    pager
	Entry    int64 // the row Error is about
	Error    string
	Form     map[string]string
}

// consoleDisputes is GET /console/disputes[?show=resolved&q=&page=]: the station's open disputes, oldest
// first, each with its resolve form; or the resolved ones, latest first. Searched by contract number,
// worker or employer.
func (s *Console) consoleDisputes(c *gin.Context) {
	s.showDisputes(c, http.StatusOK, consoleDisputesData{})
}

func (s *Console) showDisputes(c *gin.Context, status int, d consoleDisputesData) {
	q, lp, err := listQuery(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	open := c.Query("show") != "resolved"
	d.Q, d.Show = q, "open"
	if !open {
		d.Show = "resolved"
	}
	list, total, err := s.App.DisputeList(c.Request.Context(), kit.Principal(c), domain.DisputeFilter{StationID: kit.Principal(c).StationID,
		Q: q, Open: &open, ListPage: lp})
	if err != nil {
		s.Fail(c, err)
		return
	}
	if open {
		d.Open = list
		// The latest outcomes under the queue, so the one just resolved is still in sight.
		yes := false
		if d.Resolved, _, err = s.App.DisputeList(c.Request.Context(), kit.Principal(c), domain.DisputeFilter{StationID: kit.Principal(c).StationID,
			Open: &yes, ListPage: domain.ListPage{Page: 1, PerPage: 5}}); err != nil {
			s.Fail(c, err)
			return
		}
	} else {
		d.Resolved = list
	}
	d.Pager = newPager(c, lp, total)
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	s.renderConsole(c, status, "console_disputes", "异议处理", "disputes", d)
}

// consoleResolve is POST /console/disputes/{id}/resolve: the outcome (resolution) and, when the record
// was wrong, a correction in yuan (amount, signed) and/or quantity (signed) to append.
func (s *Console) consoleResolve(c *gin.Context) {
	id, err := kit.PathID(c, "id", "台账记录")
	if err != nil {
		s.Fail(c, err)
		return
	}
	form := map[string]string{"resolution": c.PostForm("resolution"), "amount": strings.TrimSpace(c.PostForm("amount")),
		"quantity": strings.TrimSpace(c.PostForm("quantity"))}
	req := app.Resolution{Resolution: form["resolution"]}
	if form["amount"] != "" || form["quantity"] != "" {
		req.Correction = &app.Correction{}
		if form["amount"] != "" {
			fen, err := signedYuan("amount", form["amount"])
			if err != nil {
				s.showDisputes(c, http.StatusBadRequest, consoleDisputesData{Entry: id, Error: domain.AsError(err).Message, Form: form})
				return
			}
			req.Correction.AmountFen = fen
		}
		if form["quantity"] != "" {
			q, err := domain.ParseMilli("quantity", form["quantity"])
			if err != nil {
				s.showDisputes(c, http.StatusBadRequest, consoleDisputesData{Entry: id, Error: domain.AsError(err).Message, Form: form})
				return
			}
			req.Correction.QuantityMilli = int64(q)
		}
	}
	if _, err := s.App.ResolveDispute(c.Request.Context(), kit.Principal(c), id, req); err != nil {
		if !kit.StaysOnForm(err) {
			s.Fail(c, err)
			return
		}
		s.showDisputes(c, kit.CodeStatus(domain.AsError(err).Code), consoleDisputesData{Entry: id, Error: domain.AsError(err).Message, Form: form})
		return
	}
	s.Flash(c, "ok", "已处理，零工会收到通知")
	c.Redirect(http.StatusSeeOther, "/console/disputes")
}

// signedYuan reads an amount of yuan that may be negative (a correction that takes money back).
func signedYuan(field, s string) (int64, error) {
	s = strings.TrimSpace(domain.FoldWidth(s))
	neg := strings.HasPrefix(s, "-")
	fen, err := domain.ParseYuan(field, strings.TrimPrefix(s, "-"))
	if neg {
		fen = -fen
	}
	return fen, err
}

// --- Arrears alerts ---

type consoleArrearsData struct {
	Alerts []domain.ArrearsAlert
	All    bool
	Q      string
	Pager  pager
}

// consoleArrears is GET /console/arrears[?all=1&q=&page=]: the station's open arrears alerts (all,
// cleared ones too, with all=1), oldest due date first, each with a clear button; searched by contract
// number, worker or employer. The unpaid total is on the settlement tab above.
func (s *Console) consoleArrears(c *gin.Context) {
	q, lp, err := listQuery(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	all := c.Query("all") == "1"
	list, total, err := s.App.ArrearsList(c.Request.Context(), kit.Principal(c), domain.ArrearsFilter{StationID: kit.Principal(c).StationID, OpenOnly: !all}, q, lp)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := consoleArrearsData{Alerts: list, All: all, Q: q, Pager: newPager(c, lp, total)}
	s.renderConsole(c, http.StatusOK, "console_arrears", "欠薪预警", "arrears", d)
}

// consoleClearArrears is POST /console/arrears/{id}/clear.
func (s *Console) consoleClearArrears(c *gin.Context) {
	id, err := kit.PathID(c, "id", "欠薪预警")
	if err != nil {
		s.Fail(c, err)
		return
	}
	a, err := s.App.ClearArrears(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.Fail(c, err)
		return
	}
	s.Flash(c, "ok", "已清除合约 "+a.ContractNumber+" 的欠薪预警")
	c.Redirect(http.StatusSeeOther, "/console/arrears")
}

// --- The monthly payroll ---

type consolePayrollData struct {
	Month    string
	Station  domain.Station
	Stations []domain.Station // admins pick one
	Lines    []domain.PayrollLine
	Q        string
	Pager    pager
	Admin    bool
	Error    string
}

// consolePayroll is GET /console/payroll?month=YYYY-MM[&station=CODE&q=&page=]: the month's 工资支付台账
// of the station on screen (ID numbers masked) with the CSV and PDF downloads. The 台账 is kept per
// station: an admin is asked which (nothing is chosen for them). Searched by worker, employer or
// contract number, a page at a time (the downloads hold the whole month).
func (s *Console) consolePayroll(c *gin.Context) {
	ctx := c.Request.Context()
	p := kit.Principal(c)
	d := consolePayrollData{Month: c.Query("month"), Admin: p.Kind == domain.AsAdmin}
	if d.Month == "" {
		d.Month = s.Today().Start().Format("2006-01")
	}
	q, lp, err := listQuery(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d.Q = q
	code := c.Query("station")
	if d.Admin {
		if d.Stations, err = s.App.Stations(ctx); err != nil {
			s.Fail(c, err)
			return
		}
		if code == "" {
			s.renderConsole(c, http.StatusOK, "console_payroll", "工资支付台账", "payroll", d)
			return
		}
	}
	stationID, err := s.App.StationScope(ctx, p, "station", code)
	if err != nil {
		s.Fail(c, err)
		return
	}
	if d.Station, err = s.App.StationByID(ctx, stationID); err != nil {
		s.Fail(c, err)
		return
	}
	lines, err := s.App.Payroll(ctx, p, stationID, d.Month)
	if err != nil {
		if !kit.StaysOnForm(err) {
			s.Fail(c, err)
			return
		}
		d.Error = domain.AsError(err).Message
	}
	search := domain.ParseSearch(q)
	var matched []domain.PayrollLine
	for _, l := range lines {
		if search.Text == "" || strings.Contains(l.WorkerName, search.Text) || strings.Contains(l.EmployerName, search.Text) ||
			strings.EqualFold(l.ContractNumber, search.Text) {
			matched = append(matched, l)
		}
	}
	d.Pager = newPager(c, lp, len(matched))
	d.Lines = matched[min(lp.Offset(), len(matched)):min(lp.Offset()+lp.Limit(), len(matched))]
	s.renderConsole(c, http.StatusOK, "console_payroll", "工资支付台账", "payroll", d)
}
