package web

import (
	"fmt"
	"strings"

	"congdoan/internal/store"
)

// The audit log keeps each entry's action key ("import.members",
// "demo.load") and its detail as the code wrote it ("members.csv: 56333
// rows"); the pages, the downloads and the API's "text" say it as a
// sentence of the catalogs in the reader's language: "Nhập 56.333 đoàn
// viên từ tệp members.csv" / "Imported 56,333 members from members.csv".

// AuditText is an audit entry as a sentence in the page's language.
func (p Page) AuditText(e store.AuditEntry) string { return auditText(p.lang(), e) }

// auditText writes e in lang: the sentence of its action key where the
// catalogs have one and its detail reads as the writer wrote it, else the
// action's name and the detail (codes and names, the same in every
// language).
func auditText(lang string, e store.AuditEntry) string {
	n := func(v int64) string { return formatInt(lang, v) }
	switch {
	case e.Action == "demo.load":
		var u, ent, m, tr, mv int64
		if _, err := fmt.Sscanf(e.Detail, "%d units, %d enterprises, %d members, %d transfers, %d moves", &u, &ent, &m, &tr, &mv); err == nil {
			return translate(lang, "audit.text.demo.load", n(u), n(ent), n(m), n(tr), n(mv))
		}
		return translate(lang, "audit.text.demo.load_plain")
	case strings.HasPrefix(e.Action, "import."):
		// importer.Importer's detail: "FILE: N rows".
		key := "audit.text." + e.Action
		if file, rows, ok := countedDetail(e.Detail, "rows"); ok && hasText(key) {
			return translate(lang, key, n(rows), file)
		}
	case e.Action == "targets.save":
		// "PLAN UNIT INDICATOR: N targets".
		if what, count, ok := countedDetail(e.Detail, "targets"); ok {
			return translate(lang, "audit.text.targets.save", what, n(count))
		}
	case e.Action == "user.add":
		// "NAME (ROLE)".
		if name, role, ok := strings.Cut(strings.TrimSuffix(e.Detail, ")"), " ("); ok && hasText("role."+role) {
			return translate(lang, "audit.text.user.add", name, Page{Lang: lang}.RoleName(role))
		}
	case e.Action == "unit.found":
		// "CODE NAME (METHOD)": the method in words.
		if rest, method, ok := cutLast(strings.TrimSuffix(e.Detail, ")"), " ("); ok && hasText("method."+method) {
			words := "method." + method
			return translate(lang, "action.unit.found") + ": " + rest + " (" + translate(lang, words) + ")"
		}
	}
	label := auditLabel(lang, e.Action)
	if e.Detail == "" {
		return label
	}
	return label + ": " + e.Detail
}

// auditLabel names an action: its "action." text (the pages' name), else
// one of "audit.label.", else the key itself.
func auditLabel(lang, action string) string {
	if s := (Page{Lang: lang}).Action(action); s != action {
		return s
	}
	if key := "audit.label." + action; hasText(key) {
		return translate(lang, key)
	}
	return action
}

// countedDetail reads "WHAT: N noun" ("members.csv: 56333 rows").
func countedDetail(detail, noun string) (string, int64, bool) {
	what, count, ok := cutLast(detail, ": ")
	if !ok {
		return "", 0, false
	}
	var n int64
	var word string
	if k, err := fmt.Sscanf(count, "%d %s", &n, &word); err != nil || k != 2 || word != noun {
		return "", 0, false
	}
	return what, n, true
}

// cutLast cuts s around the last sep.
func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// hasText reports whether the pages' catalogs know key.
func hasText(key string) bool { _, ok := locales[langVI][key]; return ok }
