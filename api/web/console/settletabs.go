package console

import (
	"github.com/gin-gonic/gin"

	"lingong/api/kit"
	"lingong/domain"
)

// Settlement is one screen of the console with five tabs (台账, 过秤, 异议, 欠薪预警, 工资台账): each
// tab is its own page (plain links, no script), and the strip above them counts what waits today.

// settleTab is one tab of the settlement screen.
type settleTab struct {
	Key, Label, URL string
	CountID         string // the count's element id, when it is always shown (0 included)
	Count           int    // what needs doing (0: nothing shown)
	Note            string // what the count counts
	Warn            bool   // the count needs action
	On              bool
}

// settleTabs is the strip of tabs above every settlement page.
type settleTabs struct {
	Tabs    []settleTab
	Station domain.Station // ID 0: every station (an admin's view)
}

var settleTabKeys = []string{"ledger", "weigh", "disputes", "arrears", "payroll"}

func isSettleTab(active string) bool {
	for _, k := range settleTabKeys {
		if k == active {
			return true
		}
	}
	return false
}

// settleTabs counts the settlement screen's work at the staff member's station (an admin: the one in
// ?station=, or all).
func (s *Console) settleTabs(c *gin.Context, active string) (*settleTabs, error) {
	st, err := s.consoleStation(c)
	if err != nil {
		return nil, err
	}
	n, err := s.App.SettlementCounts(c.Request.Context(), kit.Principal(c), st.ID)
	if err != nil {
		return nil, err
	}
	out := &settleTabs{Station: st, Tabs: []settleTab{
		{Key: "ledger", Label: "合约与台账", URL: "/console/ledger", Count: n.UnpaidContracts, Note: "份未付清", Warn: n.UnpaidContracts > 0},
		{Key: "weigh", Label: "过秤", URL: "/console/weigh", Count: n.WeighedToday, Note: "张今日过秤单"},
		{Key: "disputes", Label: "异议", URL: "/console/disputes", CountID: "open-disputes", Count: n.OpenDisputes, Note: "件待处理", Warn: n.OpenDisputes > 0},
		{Key: "arrears", Label: "欠薪预警", URL: "/console/arrears", CountID: "open-arrears", Count: n.OpenArrears, Note: "条未消除（" + domain.FormatYuan(n.ArrearsFen) + " 元）", Warn: n.OpenArrears > 0},
		{Key: "payroll", Label: "工资台账", URL: "/console/payroll", Count: n.Unconfirmed, Note: "笔付款待零工确认"},
	}}
	for i := range out.Tabs {
		out.Tabs[i].On = out.Tabs[i].Key == active
		out.Tabs[i].URL = withStation(c, out.Tabs[i].URL, st)
	}
	return out, nil
}
