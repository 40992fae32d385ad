package matching

import (
	"strings"
	"testing"
)

// The quick check before the certificate-demand expression lets through every verb the expression knows,
// so skipping the expression never changes what a gig demands.
func TestEveryCertDemandVerbPassesTheQuickCheck(t *testing.T) {
	src := certDemand.String()
	verbs := strings.Split(src[strings.Index(src, "(")+1:strings.Index(src, ")")], "|")
	if len(verbs) < 5 {
		t.Fatalf("verbs %q: the expression changed shape", verbs)
	}
	for _, v := range verbs {
		if !mayDemandCert("招工" + v + "电工证") {
			t.Errorf("%s: the quick check skips a text the expression matches", v)
		}
	}
	if mayDemandCert("招摘果工，日结") {
		t.Error("a text with no verb passes the quick check")
	}
}
