package matching

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"lingong/domain"
)

// Query understanding: a search box query as people type it ("找活 中宁 一天200以上 日结", "寒假 兼职",
// "有电工证 找活") is read into what it asks for before any gig is scored. Places become a filter (a
// district) or a boost (a town or landmark: nearer gigs first); time words a date window; wage conditions
// a wage filter; certificates the user says they hold a filter (gigs requiring others are left out) and
// the trades that need them; soft wishes (日结, 包吃住) boosts; filler words (找活, 急招, 有没有) nothing.
// What is left is keywords: trades of the taxonomy, and words searched by their text. The reading says,
// in Chinese, how the query was taken.

// QueryReading is how a search query was read, for the page to show above the results.
type QueryReading struct {
	Summary    string          `json:"summary"`                // e.g. "按 中宁县 筛选；日结 优先"; "" for an empty query
	District   string          `json:"district,omitempty"`     // a district filter read from the words
	Near       string          `json:"near,omitempty"`         // a town or landmark whose gigs come first
	DateFrom   domain.Date     `json:"date_from,omitempty"`    // gigs running on some day of [DateFrom, DateTo]
	DateTo     domain.Date     `json:"date_to,omitempty"`      //
	When       string          `json:"when,omitempty"`         // the time word: 寒假, 明天 ...
	WageMinFen int64           `json:"wage_min_fen,omitempty"` // a wage filter read from the words
	WageUnit   domain.WageUnit `json:"wage_unit,omitempty"`    // day or hour
	Certs      []string        `json:"certs,omitempty"`        // held: gigs requiring other certificates are left out
	Skills     []string        `json:"skills,omitempty"`       // trades understood
	Keywords   []string        `json:"keywords,omitempty"`     // words searched by their text
	Prefer     []string        `json:"prefer,omitempty"`       // soft wishes: gigs that offer them come first
	Ignored    []string        `json:"ignored,omitempty"`      // filler words left out
	Relaxed    bool            `json:"relaxed,omitempty"`      // no gig had enough of the words: gigs with some of them
	Widened    []string        `json:"widened,omitempty"`      // few gigs of the trades named: gigs of these trades follow them
	Empty      bool            `json:"empty,omitempty"`        // only filler words: nothing to search for
}

// wish is a soft wish of a query: a gig that says one of its phrases comes first.
type wish struct {
	label   string
	phrases []string
}

var wishes = []wish{
	{"日结", []string{"日结", "当天结", "天天结", "日清", "当日结"}},
	{"周结", []string{"周结"}},
	{"月结", []string{"月结"}},
	// Who asks for 包吃住 needs a bed first: a gig that gives lodging meets it (meals come with most), one
	// that only feeds does not.
	{"包吃住", []string{"包吃住", "管吃住", "吃住全包", "包食宿", "管食宿", "包住", "管住", "提供住宿", "有宿舍", "有地方住"}},
	{"管饭", []string{"管饭", "管午饭", "包吃", "管吃", "包三餐", "管一顿饭", "中午管饭", "包午饭"}},
	{"包住", []string{"包住", "管住", "提供住宿", "有宿舍", "有地方住", "包吃住", "管吃住", "吃住全包", "包食宿", "管食宿"}},
	{"男女不限", []string{"男女不限", "不限男女"}},
	{"车接车送", []string{"车接车送", "接送", "班车", "有车接"}},
	{"长期", []string{"长期"}},
	{"短期", []string{"短期", "临时"}},
	{"兼职", []string{"兼职"}},
	{"夜班", []string{"夜班"}},
	{"白班", []string{"白班", "长白班"}},
	{"工地", []string{"工地"}}, // not read from the words: see siteWish
	// Not read from the words either: a time word's window filters, and a gig that says the word
	// (寒假工, 周末兼职) comes first within it (see timeWishes).
	{"寒假", []string{"寒假"}},
	{"暑假", []string{"暑假"}},
	{"周末", []string{"周末", "双休", "星期六", "星期天", "周六", "周日"}},
}

// siteWish is the wish a site word becomes beside a trade ("钢筋 工地": rebar work, at a site first).
var siteWish = slices.IndexFunc(wishes, func(w wish) bool { return w.label == "工地" })

// timeWishes are the wishes of the time words whose gigs often say so.
var timeWishes = map[string]int{"寒假": siteWish + 1, "暑假": siteWish + 2, "周末": siteWish + 3, "这周末": siteWish + 3,
	"本周末": siteWish + 3, "星期六": siteWish + 3, "星期天": siteWish + 3, "星期日": siteWish + 3, "周六": siteWish + 3, "周日": siteWish + 3}

// fillerWords carry no meaning for a search: how people ask, not what for. A single character is filler
// only where no longer word starts.
var fillerWords = []string{"找活", "找工作", "找个活", "找活干", "找零工", "找事做", "找点活", "找份工作", "找份活", "求职", "想找",
	"我想", "我要", "想要", "有没有", "有活", "有吗", "哪里有", "哪有", "哪里", "在哪", "谁家", "招聘", "急招", "招工", "诚招", "高薪",
	"工作", "干活", "活儿", "的活", "活计", "上岗", "请问", "需要", "附近", "最近", "本地", "可以", "打工", "上班", "人员", "若干",
	"一名", "几名", "招人", "要人", "我会", "会干", "能干", "想干", "可以干", "师傅", "零工",
	// questions: "C1驾照 能干啥", "有证能做什么"
	"能干啥", "干啥", "做啥", "能做啥", "有啥", "能干什么", "干什么", "做什么", "能做什么", "有什么", "什么", "哪些",
	"找", "招", "急", "求", "的", "了", "吗", "呢", "啊", "吧", "个", "请", "啥"}

// landmarks are places people name that are not towns, with the town they lie in.
var landmarks = map[string][2]string{
	"沙坡头景区": {"沙坡头区", "迎水桥镇"}, "腾格里": {"沙坡头区", "迎水桥镇"}, "通湖草原": {"沙坡头区", "迎水桥镇"},
	"南长滩": {"沙坡头区", "迎水桥镇"}, "北长滩": {"沙坡头区", "迎水桥镇"},
	"中卫火车站": {"沙坡头区", "滨河镇"}, "中卫站": {"沙坡头区", "滨河镇"}, "黄河宫": {"沙坡头区", "滨河镇"},
	"高庙": {"沙坡头区", "文昌镇"}, "鼓楼": {"沙坡头区", "文昌镇"}, "中卫城区": {"沙坡头区", "文昌镇"}, "中卫市区": {"沙坡头区", "文昌镇"},
	"枸杞交易市场": {"中宁县", "宁安镇"}, "中宁县城": {"中宁县", "宁安镇"}, "中宁站": {"中宁县", "宁安镇"},
	"中宁工业园": {"中宁县", "石空镇"}, "海原县城": {"海原县", "海城镇"}, "海原新区": {"海原县", "海城镇"},
}

// districtWords name a district, short forms too.
var districtWords = map[string]string{"沙坡头区": "沙坡头区", "沙坡头": "沙坡头区", "中卫": "", "中宁县": "中宁县", "中宁": "中宁县",
	"海原县": "海原县", "海原": "海原县"}

// queryWordKind is what a query word stands for.
type queryWordKind uint8

const (
	wordFiller queryWordKind = iota
	wordWish
	wordDistrict
	wordTown
	wordTime
)

type queryWord struct {
	text  string
	kind  queryWordKind
	index int    // wish or town position
	value string // district name, time word
}

// queryWords holds the search's own words by first rune, longest first.
var queryWords = func() map[rune][]queryWord {
	m := map[rune][]queryWord{}
	add := func(w queryWord) {
		w.text = normalize(w.text)
		r, _ := decode(w.text)
		m[r] = append(m[r], w)
	}
	for _, f := range fillerWords {
		add(queryWord{text: f, kind: wordFiller})
	}
	for i, w := range wishes[:siteWish] {
		for _, p := range w.phrases {
			add(queryWord{text: p, kind: wordWish, index: i})
		}
	}
	for text, d := range districtWords {
		add(queryWord{text: text, kind: wordDistrict, value: d})
	}
	for i, t := range domain.Towns {
		add(queryWord{text: t.Name, kind: wordTown, index: i})
		stem := strings.TrimSuffix(strings.TrimSuffix(t.Name, "镇"), "乡")
		if stem != t.Name && len([]rune(stem)) >= 2 && stem != "西安" {
			add(queryWord{text: stem, kind: wordTown, index: i})
		}
	}
	for text, place := range landmarks {
		for i, t := range domain.Towns {
			if t.District == place[0] && t.Name == place[1] {
				add(queryWord{text: text, kind: wordTown, index: i, value: text})
			}
		}
	}
	for _, w := range []string{"今天", "今日", "明天", "明日", "后天", "这周末", "本周末", "周末", "星期六", "星期天", "星期日", "周六", "周日",
		"这周", "本周", "这个星期", "下周", "下个星期", "下星期", "寒假", "暑假", "国庆", "五一"} {
		add(queryWord{text: w, kind: wordTime, value: w})
	}
	for r, ws := range m {
		slices.SortStableFunc(ws, func(a, b queryWord) int { return len(b.text) - len(a.text) })
		m[r] = ws
	}
	return m
}()

// Wage conditions: "一天200以上", "日薪200", "200元/天", "200一天"; "时薪25", "每小时25元", "25一小时"; a
// bare "200以上" is a day's pay from 50 up, an hour's below.
const wageNum = `(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)`

// wageDigits are the characters a wageNum starts with.
const wageDigits = "0123456789一二两三四五六七八九十百千"

var (
	wageDayBefore  = regexp.MustCompile(`(?:一天|每天|日薪|日工资|一日|每日|天薪)\s*` + wageNum + `\s*(?:元|块)?(?:钱)?\s*(?:以上|起|及以上|\+)?`)
	wageDayAfter   = regexp.MustCompile(wageNum + `\s*(?:元|块)?(?:钱)?\s*(?:/|每|一)\s*(?:天|日)\s*(?:以上|起|\+)?`)
	wageHourBefore = regexp.MustCompile(`(?:时薪|每小时|一小时|每个小时|一个小时)\s*` + wageNum + `\s*(?:元|块)?(?:钱)?\s*(?:以上|起|\+)?`)
	wageHourAfter  = regexp.MustCompile(wageNum + `\s*(?:元|块)?(?:钱)?\s*(?:/|每|一)\s*(?:个)?(?:小时|时)\s*(?:以上|起|\+)?`)
	wageBare       = regexp.MustCompile(wageNum + `\s*(?:元|块)?\s*(?:以上|起|\+)`)
)

// chineseNumber reads 两百, 二百五, 一百二十, 三十 (and digits).
func chineseNumber(s string) (float64, bool) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f, true
	}
	digit := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	unit := map[rune]int{'十': 10, '百': 100, '千': 1000}
	total, cur, lastUnit := 0, 0, 0
	rs := []rune(s)
	for i, r := range rs {
		if d, ok := digit[r]; ok {
			cur = d
			if i == len(rs)-1 && lastUnit >= 100 { // 两百五: the digit after 百 counts tens
				cur *= lastUnit / 10
			}
			continue
		}
		u, ok := unit[r]
		if !ok {
			return 0, false
		}
		if cur == 0 {
			cur = 1
		}
		total += cur * u
		cur, lastUnit = 0, u
	}
	total += cur
	return float64(total), total > 0
}

// parsedQuery is a query's reading before the index is consulted.
type parsedQuery struct {
	reading  QueryReading
	rest     []string // keyword runs left after the words above were taken out, normalized
	wishes   []int
	near     int // town position, -1 for none
	certs    certSet
	hasFrom  bool
	from, to int32
	wageDay  int64 // fen per working day, 0 for none
	wageHour int64 // fen per hour, 0 for none
}

// parseQuery reads q (the raw search box text) on the day today ("" when unknown: time words are then
// not read).
func parseQuery(q string, today domain.Date) parsedQuery {
	var p parsedQuery
	parseQueryInto(q, today, &p)
	return p
}

// parseQueryInto is parseQuery into p, which it overwrites: a search keeps p in its scratch (see searchJobs).
func parseQueryInto(q string, today domain.Date, p *parsedQuery) {
	*p = parsedQuery{}
	p.near = -1
	s := []byte(normalize(q))
	blank := func(from, to int) {
		for i := from; i < to; i++ {
			s[i] = ' '
		}
	}
	// Wages first: their digits and 元 must not become keywords.
	type wageRe struct {
		re   *regexp.Regexp
		hour int8 // 1 hour, 0 day, -1 by the amount
	}
	wageRes := []wageRe{{wageDayBefore, 0}, {wageHourBefore, 1}, {wageHourAfter, 1}, {wageDayAfter, 0}, {wageBare, -1}}
	if !bytes.ContainsAny(s, wageDigits) {
		wageRes = nil // every pattern holds a number: five regular expressions spared on most queries
	}
	for _, w := range wageRes {
		for _, m := range w.re.FindAllSubmatchIndex(s, -1) {
			v, ok := chineseNumber(string(s[m[2]:m[3]]))
			if !ok || v <= 0 || v > 100000 {
				continue
			}
			hour := w.hour == 1 || w.hour == -1 && v < 50
			if hour && v < 5 || !hour && v < 50 {
				continue // no wage: "一天三顿" is meals
			}
			if fen := int64(v * 100); hour {
				p.wageHour = max(p.wageHour, fen)
			} else {
				p.wageDay = max(p.wageDay, fen)
			}
			blank(m[0], m[1])
		}
	}
	str := string(s)
	var kept strings.Builder
	flush := func() {
		if kept.Len() > 0 {
			p.rest = append(p.rest, kept.String())
			kept.Reset()
		}
	}
	for i := 0; i < len(str); {
		r, size := decode(str[i:])
		if !isHan(r) && !isWordRune(r) {
			flush()
			i += size
			continue
		}
		// The taxonomy's trades and certificates are words too: a longer one wins ("活动执行" over "活").
		hit, hitLen := tax.phraseAt(str, i, r, size)
		var qw *queryWord
		for k := range queryWords[r] {
			w := &queryWords[r][k]
			if strings.HasPrefix(str[i:], w.text) {
				qw = w
				break
			}
		}
		switch {
		case qw != nil && (hit == nil || len(qw.text) >= hitLen):
			flush()
			p.take(qw, today)
			i += len(qw.text)
		case hit != nil && hit.kind == phraseCert:
			flush()
			if !negated(str[:i]) {
				p.certs |= 1 << hit.index
			}
			i += hitLen
		case hit != nil && hit.kind == phraseAnyCert:
			flush() // "持证上岗" says nothing a search can use
			i += hitLen
		case hit != nil:
			kept.WriteString(str[i : i+hitLen]) // a trade's word is kept whole, and read when compiled
			i += hitLen
		default:
			kept.WriteString(str[i : i+size])
			i += size
		}
	}
	flush()
	// A character left alone between filler words is filler too ("有没有活": 活).
	p.rest = slices.DeleteFunc(p.rest, func(kw string) bool {
		if strings.Contains(loneFillers, kw) && utf8.RuneCountInString(kw) == 1 {
			p.reading.Ignored = append(p.reading.Ignored, kw)
			return true
		}
		return false
	})
}

// loneFillers are characters that mean nothing when they stand alone in a query.
const loneFillers = "活干做找有要在能会我你去来给帮点"

// take applies a query word.
func (p *parsedQuery) take(w *queryWord, today domain.Date) {
	r := &p.reading
	switch w.kind {
	case wordFiller:
		if !slices.Contains(r.Ignored, w.text) {
			r.Ignored = append(r.Ignored, w.text)
		}
	case wordWish:
		if !slices.Contains(p.wishes, w.index) {
			p.wishes = append(p.wishes, w.index)
			r.Prefer = append(r.Prefer, wishes[w.index].label)
		}
	case wordDistrict:
		if w.value != "" {
			r.District = w.value
		}
	case wordTown:
		t := domain.Towns[w.index]
		p.near = w.index
		r.Near = t.Name
		if w.value != "" {
			r.Near = w.value + "（" + t.Name + "）"
		}
	case wordTime:
		from, to, ok := timeWindow(w.value, today)
		if ok {
			p.hasFrom = true
			p.from, _ = dayNumber(from)
			p.to, _ = dayNumber(to)
			r.DateFrom, r.DateTo, r.When = from, to, w.value
			if i, ok := timeWishes[w.value]; ok && !slices.Contains(p.wishes, i) {
				p.wishes = append(p.wishes, i)
			}
		}
	}
}

// timeWindow turns a time word into the days it means, from today.
func timeWindow(word string, today domain.Date) (from, to domain.Date, ok bool) {
	t, err := time.Parse("2006-01-02", string(today))
	if err != nil {
		return "", "", false
	}
	day := func(t time.Time) domain.Date { return domain.Date(t.Format("2006-01-02")) }
	wd := int(t.Weekday()) // Sunday 0
	toSat := (6 - wd + 7) % 7
	switch word {
	case "今天", "今日":
		return today, today, true
	case "明天", "明日":
		return day(t.AddDate(0, 0, 1)), day(t.AddDate(0, 0, 1)), true
	case "后天":
		return day(t.AddDate(0, 0, 2)), day(t.AddDate(0, 0, 2)), true
	case "周末", "这周末", "本周末", "星期六", "周六":
		if wd == 0 {
			return today, today, true
		}
		if word == "星期六" || word == "周六" {
			return day(t.AddDate(0, 0, toSat)), day(t.AddDate(0, 0, toSat)), true
		}
		return day(t.AddDate(0, 0, toSat)), day(t.AddDate(0, 0, toSat+1)), true
	case "星期天", "星期日", "周日":
		d := t.AddDate(0, 0, (7-wd)%7)
		return day(d), day(d), true
	case "这周", "本周", "这个星期":
		return today, day(t.AddDate(0, 0, (7-wd)%7)), true
	case "下周", "下个星期", "下星期":
		mon := t.AddDate(0, 0, (7-wd)%7+1)
		return day(mon), day(mon.AddDate(0, 0, 6)), true
	}
	// Seasons: the next (or current) one. Ningxia's schools break from mid-January to late February and
	// from mid-July to the end of August.
	y := t.Year()
	season := func(m1, d1, m2, d2 int) (domain.Date, domain.Date, bool) {
		for _, yy := range []int{y, y + 1} {
			a := time.Date(yy, time.Month(m1), d1, 0, 0, 0, 0, time.UTC)
			b := time.Date(yy, time.Month(m2), d2, 0, 0, 0, 0, time.UTC)
			if !b.Before(t) {
				if a.Before(t) {
					a = t
				}
				return day(a), day(b), true
			}
		}
		return "", "", false
	}
	switch word {
	case "寒假":
		return season(1, 15, 2, 28)
	case "暑假":
		return season(7, 10, 8, 31)
	case "国庆":
		return season(10, 1, 10, 7)
	case "五一":
		return season(5, 1, 5, 5)
	}
	return "", "", false
}

// summary writes the reading in a sentence for the page: filters, then what comes first, then what
// was left out.
func (r *QueryReading) summarize() {
	var parts []string
	if r.Empty {
		r.Summary = "没有读到要找的活：请写上工种、地点或工钱，例如“摘枸杞 中宁”"
		return
	}
	if r.District != "" {
		parts = append(parts, "按 "+r.District+" 筛选")
	}
	if r.Near != "" {
		parts = append(parts, r.Near+" 附近优先")
	}
	if r.When != "" {
		parts = append(parts, fmt.Sprintf("只看 %s 至 %s 有活的（%s）", r.DateFrom, r.DateTo, r.When))
	}
	if r.WageMinFen > 0 {
		what := "日薪"
		if r.WageUnit == domain.PerHour {
			what = "时薪"
		}
		parts = append(parts, fmt.Sprintf("%s %s 元以上", what, domain.FormatYuan(r.WageMinFen)))
	}
	if len(r.Certs) > 0 {
		parts = append(parts, "持有"+strings.Join(r.Certs, "、")+"：不看要求其他证书的活")
	}
	if len(r.Skills) > 0 {
		parts = append(parts, "工种："+strings.Join(r.Skills, "、"))
	}
	if len(r.Keywords) > 0 {
		parts = append(parts, "关键词："+strings.Join(r.Keywords, "、"))
	}
	if len(r.Prefer) > 0 {
		parts = append(parts, strings.Join(r.Prefer, "、")+" 优先")
	}
	if len(r.Ignored) > 0 {
		parts = append(parts, "不看“"+strings.Join(r.Ignored, "”“")+"”")
	}
	if r.Relaxed {
		parts = append(parts, "没有同时符合的活，列出符合部分条件的")
	}
	if len(r.Widened) > 0 {
		parts = append(parts, "符合的活不多，后面列出相近工种："+strings.Join(r.Widened, "、"))
	}
	r.Summary = strings.Join(parts, "；")
}
