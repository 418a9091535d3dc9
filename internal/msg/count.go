package msg

import (
	"strings"

	"congdoan/internal/vn"
)

// Count is a number that a message shows, written as the message's
// language writes numbers: 2.000.000 in Vietnamese, 2,000,000 in English.
// Its verb in a catalog's format is %s.
type Count int64

// In writes n in lang.
func (n Count) In(lang string) string {
	s := vn.Int(int64(n))
	if lang == EN {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}
