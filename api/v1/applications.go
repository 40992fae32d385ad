package v1

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// applyRequest is the body of POST /api/v1/jobs/{id}/applications: empty for a worker applying for
// themself; worker_id for an employer inviting, or staff applying on a walk-in's behalf.
type applyRequest struct {
	WorkerID int64 `json:"worker_id"`
}

// applyToJob is POST /api/v1/jobs/{id}/applications (app.Service.Apply). Applying twice answers the
// existing application with 200 instead of 201.
func (s *API) applyToJob(c *gin.Context) {
	jobID, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req applyRequest
	if c.Request.ContentLength != 0 {
		if err := kit.DecodeJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	res, err := s.app.Apply(c.Request.Context(), kit.Principal(c), jobID, req.WorkerID)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
	}
	c.JSON(status, res)
}

// jobApplications is GET /api/v1/jobs/{id}/applications: the gig's applications, for its employer and
// the staff of its station (others: not found / forbidden).
func (s *API) jobApplications(c *gin.Context) {
	jobID, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	list, err := s.app.ApplicationsForJob(c.Request.Context(), kit.Principal(c), jobID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.List[domain.ApplicationView]{Items: list, Total: len(list), Page: 1, PerPage: len(list)})
}

// myApplications is GET /api/v1/workers/me/applications.
func (s *API) myApplications(c *gin.Context) {
	p := kit.Principal(c)
	list, err := s.app.ApplicationsOfWorker(c.Request.Context(), p, p.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.List[domain.ApplicationView]{Items: list, Total: len(list), Page: 1, PerPage: len(list)})
}

// acceptApplication is POST /api/v1/applications/{id}/accept: 201 with the draft contract; 409 when
// the gig is full, the worker is busy elsewhere then, or the application was already decided.
func (s *API) acceptApplication(c *gin.Context) {
	appID, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	contract, err := s.app.Accept(c.Request.Context(), kit.Principal(c), appID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"contract": contract})
}

// declineApplication is POST /api/v1/applications/{id}/decline.
func (s *API) declineApplication(c *gin.Context) {
	appID, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	app, err := s.app.Decline(c.Request.Context(), kit.Principal(c), appID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"application": app})
}

// withdrawApplication is POST /api/v1/applications/{id}/withdraw: the worker steps back before signing.
func (s *API) withdrawApplication(c *gin.Context) {
	appID, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	app, err := s.app.Withdraw(c.Request.Context(), kit.Principal(c), appID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"application": app})
}

// agreeToOffer is POST /api/v1/applications/{id}/agree: the worker says yes to an employer's
// invitation (app.Service.AgreeToOffer); 201 with the draft contract, as an accept answers.
func (s *API) agreeToOffer(c *gin.Context) {
	appID, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	contract, err := s.app.AgreeToOffer(c.Request.Context(), kit.Principal(c), appID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"contract": contract})
}

// refuseOffer is POST /api/v1/applications/{id}/refuse: the worker says no to an invitation.
func (s *API) refuseOffer(c *gin.Context) {
	appID, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	app, err := s.app.RefuseOffer(c.Request.Context(), kit.Principal(c), appID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"application": app})
}

// reportRequest is the body of POST /api/v1/applications/{id}/report.
type reportRequest struct {
	Reason string `json:"reason"`
}

// reportOffer is POST /api/v1/applications/{id}/report: the worker refuses an invitation and reports
// it to the staff of their station.
func (s *API) reportOffer(c *gin.Context) {
	appID, err := kit.IDParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req reportRequest
	if c.Request.ContentLength != 0 {
		if err := kit.DecodeJSON(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	app, err := s.app.ReportOffer(c.Request.Context(), kit.Principal(c), appID, req.Reason)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"application": app})
}
