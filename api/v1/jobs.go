package v1

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/app"
	"lingong/domain"
)

// jobCreateRequest is the body of POST /api/v1/jobs (app.NewJob); jobFields of PATCH /api/v1/jobs/{id}.
type (
	jobCreateRequest = app.NewJob
	jobFields        = app.JobFields
)

// createJob is POST /api/v1/jobs: an employer (API key) posts a gig, or staff post one for a walk-in
// employer (employer_id). The gig awaits review and is not in the library yet. Honours Idempotency-Key.
func (s *API) createJob(c *gin.Context) {
	body, err := kit.ReadBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req jobCreateRequest
	if err := kit.DecodeJSONBytes(body, &req); err != nil {
		s.fail(c, err)
		return
	}
	p := kit.Principal(c)
	s.idem.Respond(c, body, func(ctx context.Context) (int, any, error) {
		// Everything that can fail runs in here, after the key check: a retry of a request that
		// succeeded gets its first answer even if today's rules would now refuse it.
		job, err := s.app.PostJob(ctx, p, req)
		if err != nil {
			return 0, nil, err
		}
		return kit.Created, kit.ViewJob(job, p), nil
	})
}

// getJob is GET /api/v1/jobs/{id}. A gig that passed review is public; its employer and the staff also
// see it while it awaits review or after a rejection (with the reason); to anyone else such a gig does
// not exist (404). A gig found past its end date expires on the spot.
func (s *API) getJob(c *gin.Context) {
	j, err := s.visibleJob(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.ViewJob(j, kit.Principal(c)))
}

// visibleJob loads the gig of the {id} route if the caller may see it (app.Service.Job).
func (s *API) visibleJob(c *gin.Context) (domain.Job, error) {
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		return domain.Job{}, err
	}
	return s.app.Job(c.Request.Context(), kit.Principal(c), id)
}

// updateJob is PATCH /api/v1/jobs/{id}: the employer (or the station's staff) changes some fields. The
// gig goes back to review, so an approved gig leaves the library until it is approved again.
func (s *API) updateJob(c *gin.Context) {
	var req jobFields
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		s.fail(c, err)
		return
	}
	p := kit.Principal(c)
	j, err := s.app.EditJob(c.Request.Context(), p, id, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.ViewJob(j, p))
}

// reviewRequest is the body of POST /api/v1/jobs/{id}/review.
type reviewRequest struct {
	Decision string `json:"decision"` // approve | reject
	Reason   string `json:"reason"`   // required to reject; the employer reads it
	// CoverChecked: the reviewer compared the own policy's scan with its figures (issue 22).
	CoverChecked bool `json:"cover_checked"`
	// CoverScanSHA256: the scan the reviewer compared (Cover.scan_sha256); a newer declaration is refused.
	CoverScanSHA256 string `json:"cover_scan_sha256"`
	// CoverExemption: the reason to approve without accident cover (audited, counted).
	CoverExemption string `json:"cover_exemption"`
}

// reviewJob is POST /api/v1/jobs/{id}/review: staff of the gig's station (or an admin) approve it into
// the library or reject it with a reason (app.Service.ReviewJob, which pushes an approved gig).
func (s *API) reviewJob(c *gin.Context) {
	var req reviewRequest
	if err := kit.DecodeJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		s.fail(c, err)
		return
	}
	p := kit.Principal(c)
	j, err := s.app.ReviewJob(c.Request.Context(), p, id, app.Review{Decision: req.Decision, Reason: req.Reason,
		CoverChecked: req.CoverChecked, CoverScanSHA256: req.CoverScanSHA256, CoverExemption: req.CoverExemption})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.ViewJob(j, p))
}

// closeRequest is the optional body of POST /api/v1/jobs/{id}/close.
type closeRequest struct {
	Reason string `json:"reason"`
}

// closeJob is POST /api/v1/jobs/{id}/close: the employer (or the station's staff) stops the gig; it
// leaves the library at once.
func (s *API) closeJob(c *gin.Context) {
	body, err := kit.ReadBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req closeRequest
	if len(body) > 0 {
		if err := kit.DecodeJSONBytes(body, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	id, err := kit.PathID(c, "id", "零工岗位")
	if err != nil {
		s.fail(c, err)
		return
	}
	p := kit.Principal(c)
	j, err := s.app.CloseJob(c.Request.Context(), p, id, req.Reason)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.ViewJob(j, p))
}

// employerJobs is GET /api/v1/employer/jobs: the calling employer's own gigs in every state, newest
// first, with the review outcome of each.
func (s *API) employerJobs(c *gin.Context) {
	s.listJobsFiltered(c, domain.JobFilter{EmployerID: kit.Principal(c).ID})
}

// stationJobs is GET /api/v1/station/jobs: the gigs of the caller's station (an admin: all stations, or
// the one named by station=CODE), newest first; status=pending_review is the review queue.
func (s *API) stationJobs(c *gin.Context) {
	p := kit.Principal(c)
	f := domain.JobFilter{StationID: p.StationID}
	if code := c.Query("station"); code != "" {
		st, err := s.app.StationField(c.Request.Context(), "station", code)
		if err != nil {
			s.fail(c, err)
			return
		}
		if !p.CanManageStation(st.ID) {
			s.fail(c, domain.Forbidden("只能查看本站点的岗位"))
			return
		}
		f.StationID = st.ID
	}
	s.listJobsFiltered(c, f)
}

func (s *API) listJobsFiltered(c *gin.Context, f domain.JobFilter) {
	var err error
	if f.Statuses, err = kit.JobStatuses(c); err != nil {
		s.fail(c, err)
		return
	}
	if f.Page, f.PerPage, err = kit.PageParams(c); err != nil {
		s.fail(c, err)
		return
	}
	jobs, total, err := s.app.Jobs(c.Request.Context(), kit.Principal(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := kit.Principal(c)
	items := make([]kit.JobView, len(jobs))
	for i, j := range jobs {
		items[i] = kit.ViewJob(j, p)
	}
	c.JSON(http.StatusOK, kit.List[kit.JobView]{Items: items, Total: total, Page: f.Page, PerPage: f.PerPage})
}
