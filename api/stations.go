package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// listResponse is the shape of every list answer: {items, total, page, per_page}.
type listResponse[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// listStations answers all 25 stations (few enough for one page).
func (s *Server) listStations(c *gin.Context) {
	stations, err := s.store.Stations(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, listResponse[domain.Station]{Items: stations, Total: len(stations), Page: 1, PerPage: len(stations)})
}
