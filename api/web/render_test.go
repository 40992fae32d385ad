package web

import "testing"

// A template that does not parse takes every page down with it: catch it here, not in production.
func TestEveryPageTemplateParses(t *testing.T) {
	pages, err := Templates()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"home", "error", "me", "me_contract", "verify", "console_login", "console_dashboard"} {
		if pages[want] == nil {
			t.Errorf("page %q missing", want)
		}
	}
}
