package gen

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

func TestTaxCodeCheckDigit(t *testing.T) {
	// 0100109106 is a real Hanoi tax code.
	if code, ok := TaxCode("010010910"); !ok || code != "0100109106" {
		t.Errorf("TaxCode(010010910) = %q, %v", code, ok)
	}
	// The weighted sum of 010000005 is 29+15 = 44, 0 mod 11: no check digit.
	if code, ok := TaxCode("010000005"); ok {
		t.Errorf("TaxCode(010000005) = %q, want none", code)
	}
}

func TestCCCD(t *testing.T) {
	for _, c := range []struct {
		prov   string
		year   int
		female bool
		serial int
		want   string
	}{
		{"001", 1985, false, 12345, "001085012345"},
		{"034", 1992, true, 999999, "034192999999"},
		{"001", 2003, false, 7, "001203000007"},
		{"079", 2001, true, 0, "079301000000"},
	} {
		if got := CCCD(c.prov, c.year, c.female, c.serial); got != c.want {
			t.Errorf("CCCD(%s, %d, %v, %d) = %s, want %s", c.prov, c.year, c.female, c.serial, got, c.want)
		}
	}
	if got := CMND(1234); got != "000001234" {
		t.Errorf("CMND(1234) = %s", got)
	}
}

// NumberedCCCD gives distinct IDs to distinct members, also across the
// million boundary where the serials repeat.
func TestNumberedCCCDUnique(t *testing.T) {
	seen := map[string]int{}
	check := func(i int) {
		id := NumberedCCCD(i, 1990, i%2 == 0)
		if len(id) != 12 {
			t.Fatalf("member %d: %q is not 12 digits", i, id)
		}
		// Same year and sex for a pair of members: only the province and the
		// serial tell them apart.
		key := NumberedCCCD(i, 1990, false)
		if j, dup := seen[key]; dup {
			t.Fatalf("members %d and %d share %s", j, i, key)
		}
		seen[key] = i
	}
	for i := 0; i < 200_000; i++ {
		check(i)
	}
	for i := 1_000_000; i < 1_050_000; i++ {
		check(i)
	}
	hanoi := 0
	for i := 0; i < 10_000; i++ {
		if strings.HasPrefix(NumberedCCCD(i, 1990, false), "001") {
			hanoi++
		}
	}
	if hanoi < 3500 || hanoi > 4700 {
		t.Errorf("%d of 10 000 registered in Hanoi, want about 4 000", hanoi)
	}
}

var nameRE = regexp.MustCompile(`^\p{Lu}\p{Ll}* \p{Lu}\p{Ll}*( \p{Lu}\p{Ll}*)? \p{Lu}\p{Ll}*$`)

func TestPersonName(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	thi, double := 0, 0
	for i := 0; i < 5000; i++ {
		female := i%2 == 0
		n := PersonName(r, female)
		if !nameRE.MatchString(n) {
			t.Fatalf("%q is not family, middle and given name", n)
		}
		parts := strings.Fields(n)
		if parts[len(parts)-1] == parts[len(parts)-2] {
			t.Errorf("%q: given name repeats the middle name", n)
		}
		if !female && len(parts) != 3 {
			t.Errorf("%q: a man has one middle name", n)
		}
		if female && parts[1] == "Thị" {
			thi++
			if len(parts) == 4 {
				double++
			}
		}
	}
	if thi < 1000 || double == 0 || double > thi/4 {
		t.Errorf("%d women named Thị, %d of them with a second middle name", thi, double)
	}
	// The same seed gives the same names.
	a, b := rand.New(rand.NewPCG(7, 7)), rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 100; i++ {
		if x, y := PersonName(a, true), PersonName(b, true); x != y {
			t.Fatalf("same seed, %q then %q", x, y)
		}
	}
}

func TestWeighted(t *testing.T) {
	w := ParseWeighted("a:3, b, c:0")
	r := rand.New(rand.NewPCG(3, 4))
	n := map[string]int{}
	for i := 0; i < 4000; i++ {
		n[w.Pick(r)]++
	}
	if n["c"] != 0 || n["a"] < 2700 || n["a"] > 3300 || n["a"]+n["b"] != 4000 {
		t.Errorf("picks %v, want a three times b and never c", n)
	}
}
