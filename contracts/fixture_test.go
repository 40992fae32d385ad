package contracts

import (
	"testing"
	"time"

	"lingong/domain"
)

// Fixtures of the documents: a signed contract with a settlement record, and a month's payroll.

func sampleContract(t testing.TB) ContractDoc {
	t.Helper()
	terms := sampleTerms(t)
	_, hash, err := terms.Freeze()
	if err != nil {
		t.Fatal(err)
	}
	return ContractDoc{
		Terms:     terms,
		TermsHash: hash,
		Status:    domain.ContractActive,
		VerifyURL: "https://lingong.example.cn/verify/" + terms.Number,
		Signatures: []Signature{
			{Role: domain.SignerEmployer, Method: domain.SignAPIKey, Signer: "中宁县杞香源枸杞种植专业合作社", SignedAt: issued.Add(10 * time.Minute), TermsHash: hash},
			{Role: domain.SignerWorker, Method: domain.SignSMS, Signer: "马桂兰", SignedAt: issued.Add(25 * time.Minute), TermsHash: hash},
		},
		Ledger: &Ledger{
			Lines: []LedgerLine{
				{Date: "2026-05-02", Kind: domain.LedgerWork, QuantityMilli: 1000, Unit: domain.PerDay, AmountFen: 15000, State: Confirmed},
				{Date: "2026-05-02", Kind: domain.LedgerPayment, AmountFen: 15000, Method: domain.PayWeChat, State: Confirmed, Note: "微信转账 4200001234"},
				{Date: "2026-05-03", Kind: domain.LedgerWork, QuantityMilli: 500, Unit: domain.PerDay, AmountFen: 7500, State: Disputed, Note: "乙方称实际工作一整天"},
			},
			Totals: LedgerTotals{EarnedFen: 22500, PaidFen: 15000, OutstandingFen: 7500},
			AsOf:   issued.Add(60 * time.Hour),
		},
	}
}

func samplePayroll() PayrollDoc {
	return PayrollDoc{
		StationName: "中宁县宁安镇零工驿站", StationCode: "ZN-S03", Month: "2026-05",
		PreparedBy: "张晓燕", PreparedAt: time.Date(2026, 6, 1, 10, 0, 0, 0, domain.Shanghai),
		Rows: []PayrollRow{
			{WorkerName: "马桂兰", IDMasked: "640521197305121028", EmployerName: "中宁县杞香源枸杞种植专业合作社",
				ContractNumber: "ZW-202605-000123", Days: 10, GrossFen: 150000, DeductionsFen: 0, NetFen: 150000, PaidFen: 150000,
				PaidOn: "2026-05-11", Methods: []domain.PayMethod{domain.PayWeChat}, State: Confirmed},
			{WorkerName: "李建国", IDMasked: "640502********3015", EmployerName: "沙坡头区兴旺建筑劳务有限公司",
				ContractNumber: "ZW-202605-000130", Days: 3, HoursMilli: 27500, GrossFen: 67500, DeductionsFen: 2000,
				DeductionNote: "借支", NetFen: 65500, PaidFen: 50000, PaidOn: "2026-06-02", Methods: []domain.PayMethod{domain.PayCash, domain.PayBank}, State: Pending},
			{WorkerName: "买买提·艾力", EmployerName: "中宁县杞香源枸杞种植专业合作社", ContractNumber: "ZW-202605-000131",
				QuantityMilli: 412500, QuantityUnit: "斤", GrossFen: 82500, NetFen: 82500, PaidOn: "2026-05-20",
				Methods: []domain.PayMethod{domain.PaySSCard}, State: Disputed},
		},
	}
}
