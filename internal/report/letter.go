package report

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
)

// The bounds of a letter's fields: what fits the letterhead and the
// signature block of an A4 page.
const (
	MaxNumber        = 40  // characters
	MaxPlace         = 60  // characters
	MaxRecipients    = 10  // lines
	MaxRecipient     = 120 // characters a line
	MaxSignerTitle   = 3   // lines
	MaxSignerTitleCh = 60  // characters a line
	MaxSigner        = 60  // characters
)

// LetterInput is a letter as typed: in a form (recipients and the signer's
// title one per line) or in the flags of `congdoan report` (there, lines
// may also be separated by ";").
type LetterInput struct {
	Number, Place, Date, Recipients, SignerTitle, Signer string
}

// ParseLetter checks and reads a letter. Each invalid field gives one
// error naming it (number, place, date, recipients, signer_title,
// signer), so that nothing half-valid reaches the document.
func ParseLetter(in LetterInput) (Letter, error) {
	var l Letter
	var errs []domain.FieldError
	one := func(field, v string, max int) string {
		v = strings.TrimSpace(v)
		if t, ok := checkLine(v, max); !ok {
			errs = append(errs, domain.Invalid(field, t))
		}
		return v
	}
	many := func(field, v string, maxLines, max int) []string {
		var out []string
		for _, line := range splitLines(v) {
			if t, ok := checkLine(line, max); !ok {
				errs = append(errs, domain.Invalid(field, t))
				return nil
			}
			out = append(out, line)
		}
		if len(out) > maxLines {
			errs = append(errs, domain.Invalid(field, msg.New("letter.too_many_lines", msg.Count(len(out)), msg.Count(maxLines))))
			return nil
		}
		return out
	}
	l.Number = one("number", in.Number, MaxNumber)
	l.Place = one("place", in.Place, MaxPlace)
	l.Signer = one("signer", in.Signer, MaxSigner)
	l.Recipients = many("recipients", in.Recipients, MaxRecipients, MaxRecipient)
	l.SignerTitle = strings.Join(many("signer_title", in.SignerTitle, MaxSignerTitle, MaxSignerTitleCh), "\n")
	if d := strings.TrimSpace(in.Date); d != "" {
		date, err := domain.ParseDate(d)
		if err != nil {
			errs = append(errs, domain.Invalid("date", msg.Of(err)))
		}
		l.Date = date
	}
	if len(errs) > 0 {
		return Letter{}, &domain.ValidationError{Errors: errs}
	}
	return l, nil
}

// splitLines cuts a list typed one item a line (or "a; b" on a command
// line) into its non-empty, trimmed items.
func splitLines(s string) []string {
	var out []string
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' }) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// checkLine: valid UTF-8, no control characters, at most max characters.
func checkLine(s string, max int) (msg.Text, bool) {
	if !utf8.ValidString(s) {
		return msg.New("letter.not_text"), false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return msg.New("letter.control"), false
		}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return msg.New("letter.too_long", msg.Count(n), msg.Count(max)), false
	}
	return msg.Text{}, true
}
