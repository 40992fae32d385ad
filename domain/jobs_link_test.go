package domain

import "testing"

// What the platform sends under its own name may carry no web address: the usual lure forms are
// caught, ordinary Chinese text with dots and numbers is not.
func TestContainsLink(t *testing.T) {
	for text, want := range map[string]bool{
		"补偿加微信 t.cn/Ab12":      true,
		"详见 https://x.example": true,
		"www.zhaogong":         true,
		"到 abc.top 领补贴":        true,
		"HTTP://A.B":           true,
		"园子提前摘完了":              false,
		"工钱 200.5 元，8.5 小时":    false,
		"3.15 号以后不用来":          false,
		"中宁县.新堡镇":              false,
	} {
		if got := ContainsLink(text); got != want {
			t.Errorf("ContainsLink(%q) = %v, want %v", text, got, want)
		}
	}
}
