package app

import (
	"context"
	"sync"
	"time"

	"lingong/domain"
)

// The registration form offers first the trades most workers of a station need: counted from the
// station's real registrations and gigs (the district's when the station is new), a few minutes old at
// most. A registration page is opened many times a morning; the count is one query per station every
// commonSkillsTTL.

const (
	commonSkillsTTL = 10 * time.Minute
	// CommonSkillCount is how many trades the form offers before 更多.
	CommonSkillCount = 10
)

type commonSkillsCache struct {
	mu      sync.Mutex
	entries map[int64]commonSkillsEntry
}

type commonSkillsEntry struct {
	skills []string
	at     time.Time
}

// defaultCommonSkills are offered where nothing has been registered yet: Zhongwei's usual trades.
var defaultCommonSkills = []string{"枸杞采摘", "搬运", "建筑小工", "保洁", "普工", "硒砂瓜采收", "服务员", "养老护理", "瓦工", "厨师"}

// CommonSkills are the trades the registration form shows first at station st: the station's most
// common (then its district's, then Zhongwei's usual ones), each a skill of the taxonomy, at most
// CommonSkillCount.
func (s *Service) CommonSkills(ctx context.Context, st domain.Station) []string {
	now := s.Now()
	s.common.mu.Lock()
	if e, ok := s.common.entries[st.ID]; ok && now.Sub(e.at) < commonSkillsTTL {
		s.common.mu.Unlock()
		return e.skills
	}
	s.common.mu.Unlock()
	counted, err := s.store.CommonSkills(ctx, st.ID, st.District, CommonSkillCount)
	if err != nil {
		s.log.WarnContext(ctx, "common skills", "station", st.Code, "error", err)
	}
	known := map[string]bool{}
	for _, sk := range domain.Skills {
		known[sk.Name] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, list := range [][]string{counted, defaultCommonSkills} {
		for _, sk := range list {
			if len(out) < CommonSkillCount && known[sk] && !seen[sk] {
				seen[sk] = true
				out = append(out, sk)
			}
		}
	}
	if err == nil {
		s.common.mu.Lock()
		if s.common.entries == nil {
			s.common.entries = map[int64]commonSkillsEntry{}
		}
		s.common.entries[st.ID] = commonSkillsEntry{skills: out, at: now}
		s.common.mu.Unlock()
	}
	return out
}
