package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"congdoan/internal/engine"
	"congdoan/internal/vn"
)

// The charts are SVG drawn on the server: no script, and they print.

// progressBar is a bar of actual against target, with a tick where the
// plan's pace expects the actual to be by now (expected nil: no tick).
// Without a target it is an empty bar.
func progressBar(target *int64, actual int64, expected *float64) template.HTML {
	var b strings.Builder
	b.WriteString(`<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">`)
	b.WriteString(`<rect class="bar-bg" x="0" y="0" width="100" height="10" rx="2"/>`)
	if target != nil && *target > 0 {
		pct := float64(actual) / float64(*target) * 100
		class := "bar-fill"
		if expected != nil {
			if float64(actual) < *expected {
				class += " behind"
			} else {
				class += " ahead"
			}
		}
		fmt.Fprintf(&b, `<rect class="%s" x="0" y="0" width="%.2f" height="10" rx="2"/>`, class, clamp(pct, 0, 100))
		if expected != nil {
			x := clamp(*expected/float64(*target)*100, 0, 100)
			fmt.Fprintf(&b, `<line class="bar-pace" x1="%.2f" y1="0" x2="%.2f" y2="10" vector-effect="non-scaling-stroke"/>`, x, x)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func clamp(v, lo, hi float64) float64 { return max(lo, min(hi, v)) }

// monthChart draws one indicator's value per month of a report, each bar
// labelled with its value and its share of the window's total.
func monthChart(lang string, months []engine.Month, code, title string) template.HTML {
	type bar struct {
		label string
		value int64
		share *float64
	}
	var bars []bar
	for _, m := range months {
		b := bar{label: monthLabel(lang, m.Month, len(months))}
		for _, v := range m.Indicators {
			if v.Code == code {
				b.value, b.share = v.Actual, v.Share
			}
		}
		bars = append(bars, b)
	}
	if len(bars) == 0 {
		return ""
	}
	const (
		slot   = 50.0
		top    = 26.0 // room for the value above a bar
		height = 170.0
		bottom = 44.0 // month and share below
		left   = 6.0
	)
	hi, lo := int64(0), int64(0)
	for _, b := range bars {
		hi, lo = max(hi, b.value), min(lo, b.value)
	}
	span := float64(hi - lo)
	if span == 0 {
		span = 1
	}
	width := left*2 + slot*float64(len(bars))
	zero := top + height*float64(hi)/span
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" style="min-width:%.0fpx">`,
		width, top+height+bottom, html.EscapeString(title), min(width, 36*float64(len(bars))+2*left))
	fmt.Fprintf(&s, `<title>%s</title>`, html.EscapeString(title))
	fmt.Fprintf(&s, `<line class="axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, left, zero, width-left, zero)
	for i, b := range bars {
		x := left + slot*float64(i)
		h := height * float64(b.value) / span
		y := zero - h
		if h < 0 {
			y, h = zero, -h
		}
		class := "col"
		if b.value < 0 {
			class += " neg"
		}
		fmt.Fprintf(&s, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="3"><title>%s: %s</title></rect>`,
			class, x+8, y, slot-16, max(h, 0.5), html.EscapeString(b.label), formatInt(lang, b.value))
		cx := x + slot/2
		vy := y - 7
		if b.value < 0 {
			vy = y + h + 16
		}
		fmt.Fprintf(&s, `<text class="val" x="%.1f" y="%.1f">%s</text>`, cx, vy, formatInt(lang, b.value))
		fmt.Fprintf(&s, `<text class="lbl" x="%.1f" y="%.1f">%s</text>`, cx, top+height+18, html.EscapeString(b.label))
		if b.share != nil {
			fmt.Fprintf(&s, `<text class="share" x="%.1f" y="%.1f">%s`+vn.NBSP+`%%</text>`, cx, top+height+36, formatDecimal(lang, *b.share, 1))
		}
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// monthLabel names a month "YYYY-MM": "T5" / "May", with the year when
// the window spans years (many months).
func monthLabel(lang, key string, n int) string {
	var y, m int
	fmt.Sscanf(key, "%d-%d", &y, &m)
	if m < 1 || m > 12 {
		return key
	}
	label := fmt.Sprintf("T%d", m)
	if lang == langEN {
		label = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}[m-1]
	}
	if n > 12 {
		label += fmt.Sprintf("/%02d", y%100)
	}
	return label
}
