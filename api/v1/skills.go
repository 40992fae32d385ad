package v1

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/domain"
)

// skillCategory is one category of trades, in the order the registration page shows them.
type skillCategory struct {
	Name   string         `json:"name"`
	Skills []domain.Skill `json:"skills"`
}

// taxonomyView is the answer of GET /api/v1/skills.
type taxonomyView struct {
	Categories   []skillCategory      `json:"categories"`
	Certificates []domain.Certificate `json:"certificates"`
}

// listSkills is GET /api/v1/skills: the taxonomy the engine understands, for clients that offer tags
// or want to know what a word will be read as: each trade with its category, national occupation code,
// synonyms, slang, customary certificates and the trades it can also do (directed), and each
// certificate with its other names and what holding it implies (A2 permits B2 and C1). Tags outside it
// are accepted as free tags; this list is what they are normalised to when they name one of its entries.
func (s *API) listSkills(c *gin.Context) {
	out := taxonomyView{Certificates: domain.Certificates}
	for _, name := range domain.SkillCategories {
		cat := skillCategory{Name: name, Skills: []domain.Skill{}}
		for _, sk := range domain.Skills {
			if sk.Category == name {
				cat.Skills = append(cat.Skills, sk)
			}
		}
		out.Categories = append(out.Categories, cat)
	}
	c.JSON(http.StatusOK, out)
}
