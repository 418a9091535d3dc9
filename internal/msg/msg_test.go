package msg

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Both catalogs have the same keys, none empty, and each message takes
// the same arguments in both languages.
func TestCatalogs(t *testing.T) {
	vi, en := catalogs[VI], catalogs[EN]
	if len(vi) < 50 || len(catalogs) != 2 {
		t.Fatalf("catalogs: %d languages, %d keys", len(catalogs), len(vi))
	}
	for k, v := range vi {
		e, ok := en[k]
		if !ok {
			t.Errorf("en.json lacks %q", k)
			continue
		}
		if strings.TrimSpace(v) == "" || strings.TrimSpace(e) == "" {
			t.Errorf("%q is empty", k)
		}
		// file.no_header names the Vietnamese headers in Vietnamese and
		// the canonical names in English.
		if a, b := argsOf(v), argsOf(e); !slices.Equal(a, b) && k != "file.no_header" {
			t.Errorf("%q: the arguments differ: %v %q / %v %q", k, a, v, b, e)
		}
		if strings.Contains(v, " (") && strings.HasSuffix(v, ")") && strings.Contains(v, e) {
			t.Errorf("%q: the Vietnamese holds the English: %q", k, v)
		}
	}
	for k := range en {
		if _, ok := vi[k]; !ok {
			t.Errorf("vi.json lacks %q", k)
		}
	}
}

var verb = regexp.MustCompile(`%(\[(\d+)\])?[a-z]`)

// argsOf lists the argument numbers a format uses, with their verb.
func argsOf(f string) []string {
	seen := map[string]bool{}
	n := 0
	for _, m := range verb.FindAllStringSubmatch(f, -1) {
		if m[2] != "" {
			fmt.Sscan(m[2], &n)
		} else {
			n++
		}
		seen[fmt.Sprintf("%d", n)] = true
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestTextIn(t *testing.T) {
	tx := New("id.cccd_gender", "001090000104", New("gender.female"))
	if got := tx.In(VI); got != `"001090000104" không khớp với giới tính nữ` {
		t.Errorf("vi: %q", got)
	}
	if got := tx.In(EN); got != `"001090000104" does not match the gender female` {
		t.Errorf("en: %q", got)
	}
	if got := tx.In("fr"); got != tx.In(VI) {
		t.Errorf("an unknown language: %q", got)
	}
	err := fmt.Errorf("wrapped: %w", Errorf("required"))
	if got := Of(err); got.Key != "required" || err.Error() != "wrapped: bắt buộc" {
		t.Errorf("Of: %+v, %q", got, err)
	}
	if got := Of(errors.New("plain")); got.In(EN) != "plain" || got.In(VI) != "plain" {
		t.Errorf("a plain error: %+v", got)
	}
	if got := New("no.such.key", 1).In(EN); !strings.Contains(got, "no.such.key") {
		t.Errorf("a missing key: %q", got)
	}
}

func TestLang(t *testing.T) {
	for h, want := range map[string]string{"": EN, "en-US,en;q=0.9": EN, "vi-VN,vi;q=0.9,en;q=0.8": VI, "fr, vi;q=0.5": VI,
		"en;q=0.2, vi;q=0.8": VI, "vi;q=0": EN, "de": EN} {
		if got := Lang(h, EN); got != want {
			t.Errorf("Lang(%q) = %q, want %q", h, got, want)
		}
	}
}
