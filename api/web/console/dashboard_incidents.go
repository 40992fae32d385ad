package console

import (
	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// The dashboard's incident block (出险, issue 22 item 4): incidents by status and the days from report
// to payment, since records began, for the station and district in view. Kept apart from the other figures (dashboard.go).

// dashboardIncidents returns the block's figures for the dashboard's station and district filters.
func (s *Console) dashboardIncidents(c *gin.Context, f domain.StatsFilter) (*domain.IncidentFigures, error) {
	fig, err := s.App.IncidentFigures(c.Request.Context(), kit.Principal(c), f.StationID, f.District)
	if err != nil {
		return nil, err
	}
	return &fig, nil
}
