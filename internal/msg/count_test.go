package msg

import (
	"strings"
	"testing"
)

// A count in a message is written as the message's language writes
// numbers.
func TestCount(t *testing.T) {
	text := New("file.too_many_rows", Count(2_000_000))
	for lang, want := range map[string]string{VI: "tệp có hơn 2.000.000 dòng", EN: "more than 2,000,000 rows"} {
		if got := text.In(lang); !strings.Contains(got, want) {
			t.Errorf("%s: %q does not say %q", lang, got, want)
		}
	}
}
