package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/fault"
	"congdoan/internal/msg"
	"congdoan/internal/store"
	"congdoan/internal/vn"
)

// lang is the language the command line speaks: Vietnamese unless
// CONGDOAN_LANG or --lang asks for English. One process runs one command,
// so run sets it once, before anything is printed.
var lang = msg.VI

// langFromEnv is the language of CONGDOAN_LANG. LANG and LC_ALL are not
// read on purpose: servers often default them to en_US.UTF-8, and the
// product speaks Vietnamese unless its user asks otherwise.
func langFromEnv() (string, error) {
	v, ok := os.LookupEnv("CONGDOAN_LANG")
	if !ok || v == "" {
		return msg.VI, nil
	}
	return checkLang("CONGDOAN_LANG", v)
}

// checkLang accepts vi and en (and vi-VN, en_US.UTF-8 and the like).
func checkLang(where, v string) (string, error) {
	base := strings.ToLower(v)
	if i := strings.IndexAny(base, "-_."); i >= 0 {
		base = base[:i]
	}
	if base == msg.VI || base == msg.EN {
		return base, nil
	}
	return "", usageError{msg.New("cli.lang_invalid", where, v)}
}

// say prints the catalog text key on a line of w in the chosen language.
func say(w io.Writer, key string, args ...any) {
	fmt.Fprintln(w, msg.New(key, args...).In(lang))
}

// describe is err as the command line prints it, in lang: every invalid
// field as FILE:ROW: column: message, a usage error with the usage, and
// anything else after "congdoan: ".
func describe(err error, lang string) string {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		lines := make([]string, len(ve.Errors))
		for i, fe := range ve.Errors {
			if fe.File != "" {
				lines[i] = fmt.Sprintf("%s:%d: %s: %s", fe.File, fe.Row, fe.Field, fe.In(lang))
			} else {
				lines[i] = fmt.Sprintf("%s: %s", fe.Field, fe.In(lang))
			}
		}
		return strings.Join(lines, "\n")
	}
	var ue usageError
	if errors.As(err, &ue) {
		return "congdoan: " + ue.text.In(lang) + "\n\n" + msg.New("cli.usage").In(lang)
	}
	// The database's own words are for the log (CONGDOAN_DEBUG=1), never
	// for the person at the terminal: a database that cannot be reached is
	// said as such, anything else it said as an internal error.
	switch {
	case fault.Of(err).Status == http.StatusServiceUnavailable:
		return "congdoan: " + msg.New("cli.db_unavailable").In(lang) + debugDetail(err)
	case store.FromServer(err) && !msg.Typed(err):
		return "congdoan: " + msg.New("cli.db_internal").In(lang) + debugDetail(err)
	}
	return "congdoan: " + errorText(err, lang)
}

// debugDetail is err's own text on a line of its own when CONGDOAN_DEBUG
// is set, for the operator who debugs; nothing otherwise.
func debugDetail(err error) string {
	if os.Getenv("CONGDOAN_DEBUG") == "" {
		return ""
	}
	return "\n(debug) " + err.Error()
}

// errorText is err's message in lang. A typed error wrapped with context
// from below ("open x: <text>") keeps its context: only its text, at the
// end, is translated.
func errorText(err error, lang string) string {
	if !msg.Typed(err) {
		return err.Error()
	}
	t := msg.Of(err)
	s, vi := err.Error(), t.In(msg.VI)
	if prefix, ok := strings.CutSuffix(s, vi); ok {
		return prefix + t.In(lang)
	}
	return s
}

// fileProblem is why a file could not be read or written, as a Text: the
// common causes translated, anything else as the system words it.
func fileProblem(err error) msg.Text {
	var pe *fs.PathError
	switch {
	case msg.Typed(err):
		return msg.Of(err)
	case errors.Is(err, fs.ErrNotExist):
		return msg.New("cli.file_missing")
	case errors.Is(err, fs.ErrPermission):
		return msg.New("cli.file_denied")
	case errors.As(err, &pe):
		return msg.Raw(pe.Err.Error())
	}
	return msg.Raw(err.Error())
}

// Go's flag package words its errors in English; these are the ones a
// user meets, turned into Texts.
var (
	flagUndefined = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	flagNoArg     = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	flagBadValue  = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?-+([^:]*): `)
)

// flagError is the usage error of a command line the flag package
// refused.
func flagError(fs *flag.FlagSet, err error) error {
	s := err.Error()
	if m := flagUndefined.FindStringSubmatch(s); m != nil {
		return usageError{msg.New("cli.flag_unknown", m[1])}
	}
	if m := flagNoArg.FindStringSubmatch(s); m != nil {
		return usageError{msg.New("cli.flag_no_value", m[1])}
	}
	if m := flagBadValue.FindStringSubmatch(s); m != nil {
		v, _ := strconv.Unquote(m[1])
		if f := fs.Lookup(m[2]); f != nil {
			if _, ok := f.Value.(lifetime); ok {
				return usageError{msg.New("cli.flag_lifetime", m[2], v)}
			}
		}
		return usageError{msg.New("cli.flag_invalid", m[2], v)}
	}
	return usageError{msg.New("cli.flag_syntax", strings.TrimPrefix(s, "bad flag syntax: "))}
}

// count is a number written the way the language writes it: 24.396 in
// Vietnamese, 24,396 in English.
type count int64

func (n count) In(lang string) string {
	s := vn.Int(int64(n))
	if lang == msg.EN {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// importSummary is what an import did, as one Text per part.
func importSummary(file, kind string, rows int, skipped []string, mended int) string {
	out := msg.New("cli.imported", file, count(rows), msg.New("cli.kind."+kind)).In(lang)
	if len(skipped) > 0 {
		out += msg.New("cli.imported_skipped", strings.Join(skipped, ", ")).In(lang)
	}
	if mended > 0 {
		out += msg.New("cli.imported_mended", count(mended)).In(lang)
	}
	return out
}
