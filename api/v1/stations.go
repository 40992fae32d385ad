package v1

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/contracts"
	"lingong/domain"
)

// listStations answers all 25 stations (few enough for one page).
func (s *API) listStations(c *gin.Context) {
	stations, err := s.app.Stations(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, kit.List[domain.Station]{Items: stations, Total: len(stations), Page: 1, PerPage: len(stations)})
}

// Station QR codes carry {PUBLIC_URL}/r/{code}, the registration page of the station.
const (
	defaultQRSize = 600
	minQRSize     = 120
	maxQRSize     = 2400
)

func (s *API) registerURL(st domain.Station) string { return s.opts.PublicURL + "/r/" + st.Code }

// stationQRCode is GET /api/v1/stations/{code}/qrcode.png[?size=px]: the station's registration QR
// code (level High: survives a dirty or torn poster), 600 px by default. Unknown station: 404.
func (s *API) stationQRCode(c *gin.Context) {
	st, err := s.app.StationByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	size := defaultQRSize
	if v := c.Query("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < minQRSize || n > maxQRSize {
			s.fail(c, domain.Invalidf("size", "二维码尺寸应为 %d 到 %d 像素", minQRSize, maxQRSize))
			return
		}
		size = n
	}
	png, err := contracts.QRPNG(s.registerURL(st), size)
	if err != nil {
		s.fail(c, domain.Internal(err))
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "image/png", png)
}

// stationPoster is GET /api/v1/stations/{code}/poster.pdf: the printable A4 poster (name, address, the
// big QR code, the three steps). Unknown station: 404.
func (s *API) stationPoster(c *gin.Context) {
	ctx := c.Request.Context()
	st, err := s.app.StationByCode(ctx, c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, err := s.pdf.Poster(ctx, contracts.PosterDoc{StationName: st.Name, StationCode: st.Code, Address: st.Address,
		Phone: st.Phone, RegisterURL: s.registerURL(st), Date: st.UpdatedAt})
	if err != nil {
		s.fail(c, kit.PDFError(err))
		return
	}
	kit.SendPDF(c, pdf, st.Code+"-poster.pdf", "public, max-age=3600")
}
