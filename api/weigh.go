package api

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// Weigh tickets (过秤单) for piece-rate harvest work: at the field scale a recorder (the employer's, or
// station staff) scans the picker's card, types the weight, and the ticket becomes a work line of the
// picker's piece-rate contract at once; the picker gets an SMS with the weight, the rate, the amount and
// the day's running total, and can dispute the ticket on its own.

// weighTicketRequest is the body of POST /api/v1/weigh-tickets.
type weighTicketRequest struct {
	// Card is what the scanner read from the worker card (its URL or token), or the worker number.
	Card string `json:"card"`
	// WeightJin is the weight in 斤, a JSON number with at most three decimals.
	WeightJin *jsonWeight `json:"weight_jin"`
	// Date is the day picked (YYYY-MM-DD); today when absent.
	Date string `json:"date"`
	// ContractID picks the contract when the worker has more than one piece-rate contract open to the
	// caller; without it such a ticket is a conflict that lists them.
	ContractID *int64 `json:"contract_id"`
	Note       string `json:"note"`
}

// weighTicket is the answer to a weigh ticket: the ledger line written, and what the picker was told.
type weighTicket struct {
	Entry          domain.LedgerEntry `json:"entry"`
	ContractID     int64              `json:"contract_id"`
	ContractNumber string             `json:"contract_number"`
	WorkerNo       string             `json:"worker_no"`
	WorkerName     string             `json:"worker_name"`
	RateFen        int64              `json:"rate_fen"` // per 斤 (the contract's piece rate)
	// The day's running total of this contract, this ticket included.
	DayTickets   int          `json:"day_tickets"`
	DayWeightJin domain.Milli `json:"day_weight_jin"`
	DayAmountFen int64        `json:"day_amount_fen"`
	SlipURL      string       `json:"slip_url"` // the printable slip, for the console
}

// weighInput is a checked weigh ticket.
type weighInput struct {
	card       string
	weight     domain.Milli
	date       domain.Date
	contractID int64
	note       string
}

func (r weighTicketRequest) check(today domain.Date) (weighInput, error) {
	in := weighInput{date: today}
	card, err := domain.CleanText("card", r.Card, 300)
	if err != nil {
		return in, err
	}
	if card == "" {
		return in, domain.Invalid("card", "请扫描零工卡二维码，或输入零工编号（如 LG00000012）")
	}
	in.card = card
	if r.WeightJin == nil || *r.WeightJin <= 0 {
		return in, domain.Invalid("weight_jin", "请填写重量（斤），应大于 0")
	}
	in.weight = domain.Milli(*r.WeightJin)
	if r.Date != "" {
		if in.date, err = domain.ParseDate("date", r.Date); err != nil {
			return in, err
		}
	}
	if r.ContractID != nil {
		if *r.ContractID <= 0 {
			return in, domain.Invalid("contract_id", "合约编号不对")
		}
		in.contractID = *r.ContractID
	}
	if in.note, err = domain.CleanText("note", r.Note, 100); err != nil {
		return in, err
	}
	return in, nil
}

// postWeighTicket is POST /api/v1/weigh-tickets (an employer's API key, or station staff): write a weigh
// ticket as a work line and text the picker. Honours Idempotency-Key (a recorder on a weak signal
// retries without weighing twice); a replay sends no second SMS. 201 with the ticket.
func (s *Server) postWeighTicket(c *gin.Context) {
	body, err := readBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req weighTicketRequest
	if err := decodeJSONBytes(body, &req); err != nil {
		s.fail(c, err)
		return
	}
	in, err := req.check(s.clock.Today())
	if err != nil {
		s.fail(c, err)
		return
	}
	var t weighTicket
	ran := s.respondIdempotent(c, body, func(ctx context.Context) (int, any, error) {
		t, err = s.weigh(ctx, principal(c), c.ClientIP(), in)
		if err != nil {
			return 0, nil, err
		}
		return created, t, nil
	})
	if ran {
		s.textWeighTicket(c.Request.Context(), t)
	}
}

// weigh finds the picker and the contract, appends the ticket and totals the day.
func (s *Server) weigh(ctx context.Context, p domain.Principal, ip string, in weighInput) (weighTicket, error) {
	w, err := s.workerByScan(ctx, in.card)
	if domain.IsCode(err, domain.CodeNotFound) && p.Kind == domain.AsEmployer {
		// An employer learns nothing about workers it has no contract with, not even whether a number exists.
		err = errNoPieceContract
	}
	if err != nil {
		return weighTicket{}, err
	}
	ct, err := s.weighContract(ctx, p, w, in.contractID)
	if err != nil {
		return weighTicket{}, err
	}
	note := "过秤"
	if in.note != "" {
		note += "：" + in.note
	}
	e, err := s.store.AppendLedger(ctx, ct.ID, domain.LedgerInput{Kind: domain.LedgerWork, WorkDate: in.date, QuantityMilli: int64(in.weight), Note: note}, p, ip)
	if err != nil {
		return weighTicket{}, err
	}
	lines, _, err := s.store.Ledger(ctx, ct.ID)
	if err != nil {
		return weighTicket{}, err
	}
	t := weighTicket{Entry: e, ContractID: ct.ID, ContractNumber: ct.Number, WorkerNo: w.No, WorkerName: w.Name, RateFen: ct.WageFen,
		SlipURL: fmt.Sprintf("/console/ledger/%d/slip", e.ID)}
	t.DayTickets, t.DayWeightJin, t.DayAmountFen = dayTotal(lines, in.date, e.ID)
	return t, nil
}

// errNoPieceContract is the answer when the scanned worker has no piece-rate contract the caller may
// record on.
var errNoPieceContract = &domain.Error{Code: domain.CodeNotFound, Field: "card",
	Message: "这位零工没有可以记过秤的有效合约（需按件/斤计酬、双方已确认，且属于贵单位或本站点）"}

// weighContract picks the worker's active piece-rate contract the caller may record on: with the
// employer's own, or at the staff member's station. contractID, when given, must be one of them. None
// is not_found; several without contractID is a conflict listing them.
func (s *Server) weighContract(ctx context.Context, p domain.Principal, w domain.Worker, contractID int64) (domain.Contract, error) {
	all, err := s.store.ContractsFor(ctx, "worker_id", w.ID, "")
	if err != nil {
		return domain.Contract{}, err
	}
	for _, ct := range all {
		if contractID == 0 || ct.ID != contractID || !recordsOn(p, ct) {
			continue
		}
		switch {
		case ct.Status != domain.ContractActive:
			return domain.Contract{}, &domain.Error{Code: domain.CodeConflict, Field: "contract_id",
				Message: fmt.Sprintf("合约 %s 不在生效状态，不能记过秤", ct.Number)}
		case ct.WageUnit != domain.PerPiece:
			return domain.Contract{}, &domain.Error{Code: domain.CodeConflict, Field: "contract_id",
				Message: fmt.Sprintf("合约 %s 按%s计酬，不是按件（斤），请记工作记录而不是过秤", ct.Number, ct.WageUnit.Label())}
		}
		return ct, nil
	}
	open := pieceRate(p, all)
	switch {
	case contractID != 0:
		return domain.Contract{}, &domain.Error{Code: domain.CodeNotFound, Field: "contract_id", Message: "找不到这位零工的该份合约"}
	case len(open) == 0:
		return domain.Contract{}, errNoPieceContract
	case len(open) > 1:
		choices := make([]string, len(open))
		for i, ct := range open {
			choices[i] = fmt.Sprintf("%d（%s，%s 至 %s，%s）", ct.ID, ct.Number, ct.StartDate, ct.EndDate, domain.FormatWage(ct.WageFen, ct.WageUnit))
		}
		return domain.Contract{}, &domain.Error{Code: domain.CodeConflict, Field: "contract_id",
			Message: fmt.Sprintf("这位零工有 %d 份按斤计酬的有效合约，请用 contract_id 指定是哪一份：%s", len(open), strings.Join(choices, "；"))}
	}
	return open[0], nil
}

// recordsOn reports whether the caller may record on the contract: its employer, or staff of its station.
func recordsOn(p domain.Principal, ct domain.Contract) bool {
	return (p.Kind == domain.AsEmployer && ct.EmployerID == p.ID) || (p.IsStaff() && p.CanManageStation(ct.StationID))
}

// pieceRate filters contracts to the active piece-rate ones the caller may record on, oldest first.
func pieceRate(p domain.Principal, all []domain.Contract) []domain.Contract {
	var open []domain.Contract
	for _, ct := range all {
		if recordsOn(p, ct) && ct.Status == domain.ContractActive && ct.WageUnit == domain.PerPiece {
			open = append(open, ct)
		}
	}
	sort.Slice(open, func(i, j int) bool { return open[i].ID < open[j].ID })
	return open
}

// pieceContracts lists the worker's active piece-rate contracts the caller may record on (the choices
// the weigh desk offers when there are several).
func (s *Server) pieceContracts(ctx context.Context, p domain.Principal, w domain.Worker) ([]domain.Contract, error) {
	all, err := s.store.ContractsFor(ctx, "worker_id", w.ID, "")
	if err != nil {
		return nil, err
	}
	return pieceRate(p, all), nil
}

// dayTotal sums a contract's work on one day up to and including entry upTo: the number of tickets
// (work lines), the quantity and the amount, corrections of that day's lines included.
func dayTotal(lines []domain.LedgerLine, day domain.Date, upTo int64) (tickets int, qty domain.Milli, fen int64) {
	kindOf := map[int64]domain.LedgerKind{}
	for _, l := range lines {
		kindOf[l.ID] = l.Kind
	}
	for _, l := range lines {
		if l.ID > upTo || l.WorkDate != day {
			continue
		}
		switch {
		case l.Kind == domain.LedgerWork:
			tickets++
		case l.Kind == domain.LedgerCorrection && kindOf[l.CorrectsID] == domain.LedgerWork:
		default:
			continue
		}
		qty += domain.Milli(l.QuantityMilli)
		fen += l.AmountFen
	}
	return tickets, qty, fen
}

// weighSMS is the text a picker gets for a ticket: weight, rate, amount, the day's running total.
func weighSMS(t weighTicket) string {
	d := t.Entry.WorkDate.Start()
	return fmt.Sprintf("【中卫零工】%d月%d日第%d次过秤：%s 斤 × %s 元/斤 = %s 元。今天累计 %s 斤，%s 元（合约 %s）。有误可在“我的零工卡”页面提出异议。",
		int(d.Month()), d.Day(), t.DayTickets, domain.Milli(t.Entry.QuantityMilli), domain.FormatYuan(t.RateFen),
		domain.FormatYuan(t.Entry.AmountFen), t.DayWeightJin, domain.FormatYuan(t.DayAmountFen), t.ContractNumber)
}

// textWeighTicket sends the picker the ticket's SMS; a failure is logged and the ticket stands (the
// console can print the slip instead).
func (s *Server) textWeighTicket(ctx context.Context, t weighTicket) {
	ct, _, err := s.store.ContractByID(ctx, t.ContractID)
	if err != nil {
		s.log.WarnContext(ctx, "could not text the weigh ticket", "entry_id", t.Entry.ID, "err", err)
		return
	}
	s.notifyWorkerBySMS(ctx, ct.WorkerID, weighSMS(t))
}
