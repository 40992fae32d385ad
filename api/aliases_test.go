package api

import (
	"lingong/api/kit"
	v1 "lingong/api/v1"
	workerpages "lingong/api/web/worker"
	"lingong/app"
)

// The black-box tests below read answers into the types the handlers render; these names keep them
// short.
type (
	jobView             = kit.JobView
	listResponse[T any] = kit.List[T]
	errorBody           = kit.ErrorBody
	errorDetail         = kit.ErrorDetail
	candidateListView   = kit.CandidateList
	candidateView       = kit.CandidateView
	jobMatchList        = kit.JobMatchList
	jobMatchView        = kit.JobMatchView
	employerCreated     = app.EmployerCreated
	weighTicket         = app.WeighTicket
	verification        = app.Verification
	jobCreateRequest    = app.NewJob
	workerView          = v1.WorkerView
	ledgerResponse      = v1.LedgerResponse
	workerLoginResponse = v1.WorkerLoginResponse
)

const (
	sessionCookie     = kit.SessionCookie
	IdempotencyHeader = kit.IdempotencyHeader
	replayedHeader    = kit.ReplayedHeader
	regCookie         = workerpages.StepCookie
)

var decodeJSONBytes = kit.DecodeJSONBytes
