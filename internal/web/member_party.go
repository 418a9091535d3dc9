package web

import (
	"net/http"
)

// memberParty answers POST /members/{id}/party: records the member's
// introduction to the Party.
func (s *Server) memberParty(w http.ResponseWriter, r *http.Request) error {
	return s.memberChange(w, r, "party_introduced_on", "member.party", "member_party", func(d *memberData) *formState { return d.Party })
}
