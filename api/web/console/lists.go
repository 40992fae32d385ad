package console

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// Every list of the console is paged (consolePerPage lines), searchable (?q=: names and titles by any
// part, record numbers exactly, phone numbers by their last digits) and filterable; the page links keep
// the search and the filters.

const consolePerPage = 25

// pager is the line under a list: where the page is, and links to the others.
type pager struct {
	Page, Pages, Total int
	From, To           int // the lines shown, from 1
	Prev, Next         string
	Links              []pageLink // the pages around this one
}

type pageLink struct {
	N   int
	URL string
	On  bool
}

// listQuery reads a console list's search box (?q=) and page (?page=).
func listQuery(c *gin.Context) (string, domain.ListPage, error) {
	q, err := kit.TextParam(c, "q", 40)
	if err != nil {
		return "", domain.ListPage{}, err
	}
	page, err := kit.IntParam(c, "page", 1, 1, 100000)
	return q, domain.ListPage{Page: page, PerPage: consolePerPage}, err
}

// newPager is the pager of a list page of total lines, its links built from the request's own URL.
func newPager(c *gin.Context, lp domain.ListPage, total int) pager {
	per := lp.Limit()
	p := pager{Page: max(lp.Page, 1), Total: total, Pages: max((total+per-1)/per, 1)}
	if total > 0 {
		p.From = lp.Offset() + 1
		p.To = min(lp.Offset()+per, total)
	}
	link := func(n int) string {
		v := c.Request.URL.Query()
		if n <= 1 {
			v.Del("page")
		} else {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return c.Request.URL.Path
		}
		return c.Request.URL.Path + "?" + v.Encode()
	}
	if p.Page > 1 {
		p.Prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = link(p.Page + 1)
	}
	for n := max(1, p.Page-3); n <= min(p.Pages, p.Page+3); n++ {
		p.Links = append(p.Links, pageLink{N: n, URL: link(n), On: n == p.Page})
	}
	return p
}

// stationChoice is what a list's station filter offers: an admin every station (and all together);
// staff only their own, so no choice.
func (s *Console) stationChoice(c *gin.Context) ([]domain.Station, error) {
	if kit.Principal(c).Kind != domain.AsAdmin {
		return nil, nil
	}
	return s.App.Stations(c.Request.Context())
}

// workersData is the list of workers.
type workersData struct {
	Q        string
	Day      string // "today" or ""
	Station  domain.Station
	Stations []domain.Station
	Workers  []domain.Worker
	Pager    pager
}

// consoleWorkers is GET /console/workers[?q=&day=today&station=&page=]: the workers registered at the
// station (an admin: at any station or all), newest first; search by name, worker number or the end
// of the phone number.
func (s *Console) consoleWorkers(c *gin.Context) {
	st, err := s.consoleStation(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	q, lp, err := listQuery(c)
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := workersData{Q: q, Station: st}
	f := domain.WorkerFilter{StationID: st.ID, Q: q, ListPage: lp}
	if c.Query("day") == "today" {
		d.Day, f.Day = "today", s.Today()
	}
	ctx := c.Request.Context()
	var total int
	if d.Workers, total, err = s.App.WorkerList(ctx, kit.Principal(c), f); err != nil {
		s.Fail(c, err)
		return
	}
	d.Pager = newPager(c, lp, total)
	if d.Stations, err = s.stationChoice(c); err != nil {
		s.Fail(c, err)
		return
	}
	s.renderConsole(c, http.StatusOK, "console_workers", "零工", "workers", d)
}

// withStation adds ?station= to a console path when an admin is looking at one station (staff always
// see their own: the parameter would only lengthen the link).
func withStation(c *gin.Context, path string, st domain.Station) string {
	if st.ID == 0 || kit.Principal(c).Kind != domain.AsAdmin {
		return path
	}
	u, _ := url.Parse(path)
	v := u.Query()
	v.Set("station", st.Code)
	u.RawQuery = v.Encode()
	return u.String()
}
