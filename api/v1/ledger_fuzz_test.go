package v1

import (
	"strings"
	"testing"
	"unicode/utf8"

	"lingong/domain"
)

// FuzzLedgerPayload drives the decoder of POST /api/v1/contracts/{id}/ledger with arbitrary bytes: it
// never panics, refuses invalid UTF-8, answers every refusal with a field error in Chinese, and what it
// accepts is a well-formed input of its kind whose quantity round-trips exactly through its text.
func FuzzLedgerPayload(f *testing.F) {
	for _, seed := range []string{
		`{"kind":"work","date":"2026-05-10","quantity":37.53,"note":"上午"}`,
		`{"kind":"payment","amount_fen":15000,"method":"wechat","paid_at":"2026-05-10T18:30:00+08:00","reference":"42000"}`,
		`{"kind":"correction","corrects_id":7,"quantity":-0.5,"note":"秤皮"}`,
		`{"kind":"payment","amount_fen":12.5,"method":"cash"}`,
		`{"kind":"work","date":"2026-05-10","quantity":"12.5"}`,
		`{"kind":"work","date":"2026-05-10","quantity":1e400}`,
		`{"kind":"work","date":"2026-05-10","quantity":-0.0001}`,
		`{"kind":"work","date":"2026-05-10","quantity":99999999999999999999999}`,
		`{"kind":"payment","amount_fen":9223372036854775808,"method":"cash"}`,
		"{\"kind\":\"work\",\"note\":\"\xff\xfe\"}",
		`{"kind":"work","note":"a\u0000b"}`,
		`{"kind":"payment","amount_fen":1,"method":"cash","status":"confirmed"}`,
		`[]`, `null`, `{}`, `{"kind":null,"quantity":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := decodeLedgerRequest(body)
		if err != nil {
			if e := domain.AsError(err); e.Code != domain.CodeInvalid || e.Message == "" {
				t.Fatalf("refusal is not a field error: %v", err)
			}
			return
		}
		if !utf8.Valid(body) {
			t.Fatalf("invalid UTF-8 accepted: %q", body)
		}
		if !utf8.ValidString(in.Note+in.Reference) || strings.ContainsRune(in.Note+in.Reference, 0) {
			t.Fatalf("accepted bad text %q %q", in.Note, in.Reference)
		}
		if q := domain.Milli(in.QuantityMilli); q != 0 {
			if back, err := domain.ParseMilli("q", q.String()); err != nil || back != q || q > domain.MaxMilli || q < -domain.MaxMilli {
				t.Fatalf("quantity %d does not round-trip (%v)", q, err)
			}
		}
		switch in.Kind {
		case domain.LedgerWork:
			if in.QuantityMilli <= 0 || in.AmountFen != 0 || !in.WorkDate.Valid() {
				t.Fatalf("accepted work %+v", in)
			}
		case domain.LedgerPayment:
			if in.AmountFen <= 0 || in.Method == "" || in.QuantityMilli != 0 {
				t.Fatalf("accepted payment %+v", in)
			}
		case domain.LedgerCorrection:
			if in.CorrectsID <= 0 || in.Note == "" || in.AmountFen < -100_000_000 || in.AmountFen > 100_000_000 {
				t.Fatalf("accepted correction %+v", in)
			}
		default:
			t.Fatalf("accepted kind %q", in.Kind)
		}
	})
}
