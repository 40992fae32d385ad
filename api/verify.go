package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/contracts"
	"lingong/domain"
)

// verifyStore is what the public contract check needs.
type verifyStore interface {
	VerifyContract(ctx context.Context, number string) (domain.ContractVerification, error)
}

// verification is what anyone who scans a contract's QR code learns: whether the record is intact,
// its status, the parties with masked names, the period and who signed when. Nothing more.
type verification struct {
	Number     string                `json:"number"`
	Version    int                   `json:"version"`
	Status     domain.ContractStatus `json:"status"`
	StatusText string                `json:"status_text"`
	Intact     bool                  `json:"intact"`
	Problems   []string              `json:"problems"`
	TermsHash  string                `json:"terms_hash"`
	Employer   string                `json:"employer"`
	Worker     string                `json:"worker"`
	Work       string                `json:"work"`
	Start      domain.Date           `json:"start"`
	End        domain.Date           `json:"end"`
	Station    string                `json:"station"`
	Signatures []verifiedSignature   `json:"signatures"`
}

type verifiedSignature struct {
	Role     domain.SignerRole `json:"role"`
	Method   domain.SignMethod `json:"method"`
	Signer   string            `json:"signer"`
	SignedAt time.Time         `json:"signed_at"`
	Shown    string            `json:"-"` // the time in Asia/Shanghai, for the page
}

var statusText = map[domain.ContractStatus]string{
	domain.ContractDraft: "待双方确认", domain.ContractActive: "已生效", domain.ContractCompleted: "已履行完毕",
	domain.ContractTerminated: "已终止",
}

func (s *Server) verification(ctx context.Context, number string) (verification, error) {
	if !contracts.ValidNumber(number) {
		return verification{}, domain.NotFound("合约")
	}
	v, err := s.store.VerifyContract(ctx, number)
	if err != nil {
		return verification{}, err
	}
	out := verification{Number: v.Contract.Number, Version: v.Contract.Version, Status: v.Contract.Status,
		StatusText: statusText[v.Contract.Status], Intact: v.Intact, Problems: v.Problems, TermsHash: v.Contract.TermsHash,
		Start: v.Contract.StartDate, End: v.Contract.EndDate, Signatures: []verifiedSignature{}}
	// The terms are shown only as far as they can be read: tampered terms may not even parse.
	if t, err := contracts.ParseTerms([]byte(v.TermsJSON)); err == nil {
		out.Employer, out.Worker, out.Work = maskPartyName(t.Employer), domain.MaskName(t.Worker.Name), t.Work.Title
		out.Start, out.End, out.Station = t.Period.Start, t.Period.End, t.Station.Name
	}
	for _, sg := range v.Signatures {
		name := out.Worker
		if sg.Role == domain.SignerEmployer {
			name = out.Employer
		}
		out.Signatures = append(out.Signatures, verifiedSignature{Role: sg.Role, Method: sg.Method, Signer: name,
			SignedAt: sg.SignedAt.UTC(), Shown: sg.SignedAt.In(domain.Shanghai).Format("2006-01-02 15:04")})
	}
	return out, nil
}

// maskPartyName masks an individual employer's name; a company's name is public anyway.
func maskPartyName(e contracts.EmployerParty) string {
	if e.Kind == domain.EmployerCompany {
		return e.Name
	}
	return domain.MaskName(e.Name)
}

// verifyContract is GET /api/v1/verify/{number}: the public check, as JSON.
func (s *Server) verifyContract(c *gin.Context) {
	v, err := s.verification(c.Request.Context(), c.Param("number"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// verifyPage is /verify/{number}: the same check as a page, for whoever scanned the printed QR code.
func (s *Server) verifyPage(c *gin.Context) {
	v, err := s.verification(c.Request.Context(), c.Param("number"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "verify", "合约核验 "+v.Number, v)
}
