package store

import (
	"errors"
	"fmt"
	"testing"
)

// A day's packed units read back as they were packed, whatever their
// ownership and method hold (commas, digits, nothing, UTF-8), and a row
// cut short is an error, never a wrong unit.
func TestPackedFoundedReadsWhatWasPacked(t *testing.T) {
	type unit struct {
		active, step int64
		hasStep      bool
		own, method  string
	}
	units := []unit{{25, 4567, true, "private", "standard"}, {0, 0, false, "", ""}, {-3, 12, true, "a,1,2,", "ngoài,"}, {7, 0, false, "fdi", "new"}}
	packed := ""
	for _, u := range units {
		step := ""
		if u.hasStep {
			step = fmt.Sprint(u.step)
		}
		packed += fmt.Sprintf("%d,%s,%d,%d,%s%s", u.active, step, len(u.own), len(u.method), u.own, u.method)
	}
	var got []unit
	err := packedFounded(packed, func(active, step int64, hasStep bool, own, method string) {
		got = append(got, unit{active, step, hasStep, own, method})
	})
	if err != nil || fmt.Sprint(got) != fmt.Sprint(units) {
		t.Fatalf("read %v (%v), want %v", got, err, units)
	}
	for _, cut := range []string{packed[:len(packed)-1], "25,4567,7,8,private", "x,1,0,0,", "1,2,3"} {
		if err := packedFounded(cut, func(int64, int64, bool, string, string) {}); !errors.Is(err, errPackedFounded) {
			t.Errorf("%q: %v", cut, err)
		}
	}
}
