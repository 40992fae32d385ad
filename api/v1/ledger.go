package v1

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/contracts"
	"lingong/domain"
)

// The wage ledger (结算, issue 7): employers and station staff append work records, payments and
// corrections to an active contract; the worker confirms payments or disputes any line with an SMS
// code; the issuing station resolves disputes. Amounts are integer fen and quantities exact decimals
// from the request to the database and back: nothing passes through a float.

// jsonQuantity is a quantity in a request body: a JSON number with at most three decimals, read from its
// digits into thousandths (domain.ParseMilli), never through a float. A string is refused, so "12.5"
// and 12.5 cannot mean two things.
type jsonQuantity domain.Milli

// UnmarshalJSON reads the number's literal text exactly.
func (q *jsonQuantity) UnmarshalJSON(b []byte) error {
	m, err := exactDecimal("quantity", b)
	*q = jsonQuantity(m)
	return err
}

// jsonWeight is a weigh ticket's weight in 斤, read like jsonQuantity.
type jsonWeight domain.Milli

// UnmarshalJSON reads the number's literal text exactly.
func (w *jsonWeight) UnmarshalJSON(b []byte) error {
	m, err := exactDecimal("weight_jin", b)
	*w = jsonWeight(m)
	return err
}

// exactDecimal reads a JSON number literal (the decoder has checked its syntax) into thousandths: no
// string, no exponent, at most three decimals.
func exactDecimal(field string, b []byte) (domain.Milli, error) {
	if len(b) == 0 || !(b[0] == '-' || (b[0] >= '0' && b[0] <= '9')) {
		return 0, domain.Invalidf(field, "“%s”应为数字（最多三位小数），例如 12.5", field)
	}
	if bytes.ContainsAny(b, "eE") {
		return 0, domain.Invalidf(field, "“%s”请直接写数字（最多三位小数），例如 12.5", field)
	}
	return domain.ParseMilli(field, string(b))
}

// ledgerRequest is the body of POST /api/v1/contracts/{id}/ledger, one of:
//   - {kind: "work", date, quantity, note}: work done; the amount is computed from the contract's wage;
//   - {kind: "payment", amount_fen, method, paid_at?, reference?, note?}: money paid to the worker;
//   - {kind: "correction", corrects_id, amount_fen?, quantity?, note}: a signed adjustment of an earlier
//     work or payment line (a full reversal is its negative), with the reason in note.
//
// A field that does not belong to the kind is refused (400), so a typed amount can never ride along on
// a work record. It is never a database row: status, ids and who recorded it cannot be sent.
type ledgerRequest struct {
	Kind       string        `json:"kind"`
	Date       string        `json:"date"`
	Quantity   *jsonQuantity `json:"quantity"`
	Note       string        `json:"note"`
	AmountFen  *int64        `json:"amount_fen"`
	Method     string        `json:"method"`
	PaidAt     string        `json:"paid_at"`
	Reference  string        `json:"reference"`
	CorrectsID *int64        `json:"corrects_id"`
}

// decodeLedgerRequest decodes and checks a ledger body into the store's input. It is the decoder the
// fuzz target FuzzLedgerPayload drives: any bytes give an input or a 4xx-class domain error, never a
// panic.
func decodeLedgerRequest(body []byte) (domain.LedgerInput, error) {
	var req ledgerRequest
	if err := kit.DecodeJSONBytes(body, &req); err != nil {
		return domain.LedgerInput{}, err
	}
	return req.input()
}

// input checks the request's shape for its kind; the store checks it against the contract (dates in
// the period, positive amounts, the corrected line belonging to the contract).
func (r ledgerRequest) input() (domain.LedgerInput, error) {
	var in domain.LedgerInput
	var err error
	if in.Note, err = domain.CleanText("note", r.Note, 200); err != nil {
		return in, err
	}
	if in.Reference, err = domain.CleanText("reference", r.Reference, 64); err != nil {
		return in, err
	}
	// refuse names the first field sent that the kind does not take.
	refuse := func(kind string, fields map[string]bool) error {
		for _, f := range []string{"date", "quantity", "amount_fen", "method", "paid_at", "reference", "corrects_id"} {
			if fields[f] {
				return domain.Invalidf(f, "%s记录不填写“%s”", kind, f)
			}
		}
		return nil
	}
	sent := map[string]bool{"date": r.Date != "", "quantity": r.Quantity != nil, "amount_fen": r.AmountFen != nil,
		"method": r.Method != "", "paid_at": r.PaidAt != "", "reference": r.Reference != "", "corrects_id": r.CorrectsID != nil}
	only := func(kind string, allowed ...string) error {
		rest := map[string]bool{}
		for k, v := range sent {
			rest[k] = v
		}
		for _, a := range allowed {
			delete(rest, a)
		}
		return refuse(kind, rest)
	}
	switch domain.LedgerKind(r.Kind) {
	case domain.LedgerWork:
		if r.AmountFen != nil {
			return in, domain.Invalid("amount_fen", "工作记录的金额按合约工钱自动计算，请只填日期和数量")
		}
		if err := only("工作", "date", "quantity"); err != nil {
			return in, err
		}
		if r.Date == "" {
			return in, domain.Invalid("date", "请填写干活的日期（年-月-日）")
		}
		if in.WorkDate, err = domain.ParseDate("date", r.Date); err != nil {
			return in, err
		}
		if r.Quantity == nil || *r.Quantity <= 0 {
			return in, domain.Invalid("quantity", "请填写数量（按合约的计量单位：小时、天、件或斤），应大于 0")
		}
		in.Kind, in.QuantityMilli = domain.LedgerWork, int64(*r.Quantity)
	case domain.LedgerPayment:
		if err := only("付款", "amount_fen", "method", "paid_at", "reference"); err != nil {
			return in, err
		}
		if r.AmountFen == nil || *r.AmountFen <= 0 {
			return in, domain.Invalid("amount_fen", "请填写付款金额（整数，单位：分；150 元 = 15000）")
		}
		if r.Method == "" {
			return in, domain.Invalid("method", "请填写付款方式：cash、wechat、alipay、bank 或 social_security_card")
		}
		if r.PaidAt != "" {
			t, err := time.Parse(time.RFC3339, r.PaidAt)
			if err != nil {
				return in, domain.Invalid("paid_at", "付款时间格式不对，应为 RFC 3339，例如 2026-05-10T18:30:00+08:00")
			}
			in.PaidAt = t.UTC()
		}
		in.Kind, in.AmountFen, in.Method = domain.LedgerPayment, *r.AmountFen, domain.PayMethod(r.Method)
	case domain.LedgerCorrection:
		if err := only("更正", "corrects_id", "amount_fen", "quantity"); err != nil {
			return in, err
		}
		if r.CorrectsID == nil || *r.CorrectsID <= 0 {
			return in, domain.Invalid("corrects_id", "请填写要更正的记录编号 corrects_id")
		}
		if in.Note == "" {
			return in, domain.Invalid("note", "更正必须写明原因")
		}
		in.Kind, in.CorrectsID = domain.LedgerCorrection, *r.CorrectsID
		if r.AmountFen != nil {
			in.AmountFen = *r.AmountFen
		}
		if r.Quantity != nil {
			in.QuantityMilli = int64(*r.Quantity)
		}
		if in.AmountFen < -100_000_000 || in.AmountFen > 100_000_000 {
			return in, domain.Invalid("amount_fen", "更正金额不合理，请核对")
		}
	case "":
		return in, domain.Invalid("kind", "请填写记录类型 kind：work（干活）、payment（付款）或 correction（更正）")
	default:
		return in, domain.Invalid("kind", "记录类型应为 work（干活）、payment（付款）或 correction（更正）")
	}
	return in, nil
}

// LedgerResponse is GET /api/v1/contracts/{id}/ledger: every line (oldest first) with the worker's
// answer, and the balance computed from them.
type LedgerResponse struct {
	Entries []domain.LedgerLine `json:"entries"`
	Balance domain.Balance      `json:"balance"`
}

// postLedgerEntry is POST /api/v1/contracts/{id}/ledger (the contract's employer, or staff of its
// station): append one line. Honours Idempotency-Key: a retry with the same key and body gets the first
// answer and appends nothing. 201 with the entry.
func (s *API) postLedgerEntry(c *gin.Context) {
	body, err := kit.ReadBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	in, err := decodeLedgerRequest(body)
	if err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	p := kit.Principal(c)
	s.idem.Respond(c, body, func(ctx context.Context) (int, any, error) {
		entry, err := s.app.AppendLedger(ctx, p, id, in)
		if err != nil {
			return 0, nil, err
		}
		return kit.Created, entry, nil
	})
}

// getLedger is GET /api/v1/contracts/{id}/ledger: the lines and the balance, for the two parties and
// the station's staff.
func (s *API) getLedger(c *gin.Context) {
	id, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	_, lines, bal, err := s.app.Ledger(c.Request.Context(), kit.Principal(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, LedgerResponse{Entries: lines, Balance: bal})
}

// ledgerPDF is GET /api/v1/contracts/{id}/ledger.pdf: the contract's settlement record on its own, with
// the same lines and totals as the API and the contract PDF's 结算记录.
func (s *API) ledgerPDF(c *gin.Context) {
	rec, err := s.loadContract(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	ct := rec.Contract
	_, lines, bal, err := s.app.Ledger(ctx, kit.Principal(c), ct.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, err := s.pdf.Ledger(ctx, contracts.LedgerDoc{Terms: rec.Terms, TermsHash: ct.TermsHash, Ledger: app.LedgerForPDF(lines, bal, s.now())})
	if err != nil {
		s.fail(c, kit.PDFError(err))
		return
	}
	kit.SendPDF(c, pdf, ct.Number+"-ledger.pdf", "private, no-store")
}

// ledgerAnswerRequest is the body of POST /api/v1/ledger/{id}/confirm and /dispute: the SMS code from
// POST /api/v1/workers/me/otp, and for a dispute the reason.
type ledgerAnswerRequest struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// confirmLedgerEntry is POST /api/v1/ledger/{id}/confirm: the worker confirms receiving a payment.
func (s *API) confirmLedgerEntry(c *gin.Context) { s.answerLedgerEntry(c, "confirm") }

// disputeLedgerEntry is POST /api/v1/ledger/{id}/dispute: the worker disputes a line, with a reason; it
// goes to the issuing station's queue.
func (s *API) disputeLedgerEntry(c *gin.Context) { s.answerLedgerEntry(c, "dispute") }

func (s *API) answerLedgerEntry(c *gin.Context, response string) {
	var req ledgerAnswerRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "台账记录")
	if err != nil {
		s.fail(c, err)
		return
	}
	entry, err := s.app.AnswerLedgerEntry(c.Request.Context(), kit.Principal(c), id, app.LedgerAnswer{Response: response, Code: req.Code, Reason: req.Reason})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, entry)
}

// resolveRequest is the body of POST /api/v1/ledger/{id}/resolve: the station's outcome of a dispute,
// and, when the record was wrong, the correction to append (a signed amount in fen and/or quantity).
type resolveRequest struct {
	Resolution string           `json:"resolution"`
	Correction *correctionInput `json:"correction"`
}

// correctionInput is the correction a resolution appends to the disputed line.
type correctionInput struct {
	AmountFen *int64        `json:"amount_fen"`
	Quantity  *jsonQuantity `json:"quantity"`
	Note      string        `json:"note"`
}

// resolveDispute is POST /api/v1/ledger/{id}/resolve (staff of the contract's station, admins): record
// the outcome of the worker's dispute of line {id}; the worker is told.
func (s *API) resolveDispute(c *gin.Context) {
	var req resolveRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "台账记录")
	if err != nil {
		s.fail(c, err)
		return
	}
	line, err := s.app.ResolveDispute(c.Request.Context(), kit.Principal(c), id, req.resolution())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, line)
}

// resolution is the request as the use case takes it.
func (r resolveRequest) resolution() app.Resolution {
	out := app.Resolution{Resolution: r.Resolution}
	if r.Correction != nil {
		out.Correction = &app.Correction{Note: r.Correction.Note}
		if r.Correction.AmountFen != nil {
			out.Correction.AmountFen = *r.Correction.AmountFen
		}
		if r.Correction.Quantity != nil {
			out.Correction.QuantityMilli = int64(*r.Correction.Quantity)
		}
	}
	return out
}
