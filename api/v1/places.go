package v1

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// townView is a town of GET /api/v1/places with its seat and its villages.
type townView struct {
	domain.Town
	Villages []domain.Village `json:"villages"`
}

// districtView is a district of GET /api/v1/places with its towns.
type districtView struct {
	Name  string     `json:"name"`
	Towns []townView `json:"towns"`
}

// listPlaces is GET /api/v1/places: the gazetteer forms offer and the API accepts (district, town,
// village), from the published 统计用区划代码 list; a town's lat/lng is its seat, used for distances when a
// worker has not shared a position.
func (s *API) listPlaces(c *gin.Context) {
	out := make([]districtView, 0, len(domain.Districts))
	for _, d := range domain.Districts {
		dv := districtView{Name: d, Towns: []townView{}}
		for _, t := range domain.Towns {
			if t.District == d {
				dv.Towns = append(dv.Towns, townView{Town: t, Villages: t.Villages()})
			}
		}
		out = append(out, dv)
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.JSON(http.StatusOK, gin.H{"districts": out})
}
