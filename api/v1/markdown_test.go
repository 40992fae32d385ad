package v1

import (
	"strings"
	"testing"
)

func TestMarkdown(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"paragraphs", "第一段\n接着写。\n\nSecond\nline.", "<p>第一段接着写。</p><p>Second line.</p>"},
		{"a list with continued items", "说明：\n\n- 金额是“分”；日期是\n  `YYYY-MM-DD`。\n- 第二条", "<p>说明：</p><ul><li>金额是“分”；日期是 <code>YYYY-MM-DD</code>。</li><li>第二条</li></ul>"},
		{"code and bold", "用 `Authorization: Bearer <token>`，**只显示一次**", "<p>用 <code>Authorization: Bearer &lt;token&gt;</code>，<strong>只显示一次</strong></p>"},
		{"no markup gets through", `<script>alert(1)</script> <a href="x">x</a> **<b>**`, "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;a href=&#34;x&#34;&gt;x&lt;/a&gt; <strong>&lt;b&gt;</strong></p>"},
		{"an unclosed backtick stays text", "a `b", "<p>a `b</p>"},
	} {
		if got := string(markdown(tc.in)); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

// The document's own introduction renders as paragraphs and a list, with no Markdown left over.
func TestDocsIntroductionIsRendered(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	got := string(markdown(doc.Info.Description))
	if !strings.Contains(got, "<ul><li>所有 JSON 接口在 <code>/api/v1</code> 下") || strings.Count(got, "<li>") < 5 {
		t.Errorf("introduction: %s", got)
	}
	if strings.Contains(got, "`") || strings.Contains(got, "\n- ") {
		t.Errorf("Markdown left in the introduction: %s", got)
	}
}
