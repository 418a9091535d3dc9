// Command congdoan plans, records and reports the growth of trade-union
// membership. See docs/interfaces.md for the commands.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/export"
	"congdoan/internal/fault"
	"congdoan/internal/importer"
	"congdoan/internal/msg"
	"congdoan/internal/report"
	"congdoan/internal/store"
)

// main runs the command; the usage it prints on a wrong command line is
// the catalog's cli.usage, in the chosen language.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// runMain runs a command line and returns its exit code: what main does
// but exit, so that the tests run the commands in process.
func runMain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := run(ctx, args, stdin, stdout, stderr)
	if err == nil {
		return 0
	}
	// The one place errors are printed, so the one place they are
	// translated.
	fmt.Fprintln(stderr, describe(err, lang))
	return fault.Exit(err)
}

// usageError is a wrong command line: main prints its text and the usage.
type usageError struct{ text msg.Text }

func (e usageError) Error() string { return e.text.String() }

// flags is a flag set that reports errors instead of printing them and
// accepts flags before and after the positional arguments.
type flags struct {
	*flag.FlagSet
	db, lang *string
}

func newFlags(name string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs, db: fs.String("db", "", "database URL"), lang: fs.String("lang", "", "vi or en")}
}

func (f *flags) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, usageError{msg.New("cli.help")}
			}
			return nil, flagError(f.FlagSet, err)
		}
		args = f.Args()
		if len(args) == 0 {
			// --lang after the command counts as well as before it.
			if *f.lang != "" {
				l, err := checkLang("--lang", *f.lang)
				if err != nil {
					return nil, err
				}
				lang = l
			}
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	l, err := langFromEnv()
	if err != nil {
		return err
	}
	lang = l
	global := newFlags("congdoan")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usageError{msg.New("cli.help")}
		}
		return flagError(global.FlagSet, err)
	}
	if *global.lang != "" {
		l, err := checkLang("--lang", *global.lang)
		if err != nil {
			return err
		}
		lang = l
	}
	args = global.Args()
	if len(args) == 0 {
		return usageError{msg.New("cli.no_command")}
	}
	cmd, args := args[0], args[1:]
	f := newFlags(cmd)
	openDB := func() (*store.Store, error) {
		url, err := databaseURL(*f.db, *global.db)
		if err != nil {
			return nil, err
		}
		return store.Open(ctx, url)
	}
	switch cmd {
	case "import":
		unit := f.String("unit", "", "the grassroots unit members are imported into")
		maxRowsFlag := f.String("max-rows", "", "the most rows a file may have (default 2000000)")
		pos, err := f.parse(args)
		if err != nil {
			return err
		}
		maxRows, err := importMaxRows(f.FlagSet, *maxRowsFlag)
		if err != nil {
			return err
		}
		if len(pos) != 2 {
			return usageError{msg.New("cli.import_args")}
		}
		if !slices.Contains(importer.Kinds, pos[0]) {
			return usageError{msg.New("cli.import_kind_unknown", pos[0], strings.Join(importer.Kinds, ", "))}
		}
		if *unit != "" && pos[0] != "members" {
			return usageError{msg.New("cli.import_unit_members", pos[0])}
		}
		// The importer words a file it cannot open with the system's English
		// ("no such file or directory"); checked here first, the reason is
		// in the user's language, in the FILE:ROW: column: message form.
		if fh, err := os.Open(pos[1]); err != nil {
			fe := domain.Invalid("file", msg.New("file.cannot_open", fileProblem(err)))
			fe.File, fe.Row = pos[1], 1
			return &domain.ValidationError{Errors: []domain.FieldError{fe}}
		} else {
			fh.Close()
		}
		st, err := openDB()
		if err != nil {
			return err
		}
		defer st.Close()
		sum, err := (&importer.Importer{Store: st, Actor: "cli", Unit: *unit, MaxRows: maxRows}).File(ctx, pos[0], pos[1], pos[1])
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, importSummary(sum.File, sum.Kind, sum.Rows, sum.Skipped, sum.Mended))
		return nil

	case "report":
		var req report.Request
		f.StringVar(&req.Plan, "plan", "", "plan code")
		f.StringVar(&req.Unit, "unit", "", "unit code")
		f.StringVar(&req.AsOf, "as-of", "", "as-of date")
		f.StringVar(&req.Campaign, "campaign", "", "campaign code")
		format := f.String("format", "json", "json, xlsx or pdf")
		out := f.String("o", "", "output file")
		var li report.LetterInput
		f.StringVar(&li.Number, "number", "", "PDF: the report's number (Số: …/BC-…)")
		f.StringVar(&li.Place, "place", "", "PDF: where it is signed (Hà Nội)")
		f.StringVar(&li.Date, "date", "", "PDF: the signing date (default: today)")
		f.StringVar(&li.Recipients, "recipients", "", "PDF: the recipients (Nơi nhận), separated by ';'")
		f.StringVar(&li.SignerTitle, "signer-title", "", "PDF: the signer's position, lines separated by ';' (TM. BAN THƯỜNG VỤ;CHỦ TỊCH)")
		f.StringVar(&li.Signer, "signer", "", "PDF: the signer's name")
		pos, err := f.parse(args)
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageError{msg.New("cli.extra_arg", pos[0])}
		}
		letter, err := report.ParseLetter(li)
		if err != nil {
			return letterFlags(err)
		}
		if li != (report.LetterInput{}) && *format != "pdf" {
			return usageError{msg.New("cli.letter_pdf_only")}
		}
		if req.Plan == "" {
			return usageError{msg.New("cli.report_plan")}
		}
		switch *format {
		case "json":
		case "xlsx", "pdf":
			if *out == "" {
				return usageError{msg.New("cli.report_needs_o", *format)}
			}
		default:
			return usageError{msg.New("cli.report_format", *format)}
		}
		st, err := openDB()
		if err != nil {
			return err
		}
		defer st.Close()
		if *format != "json" {
			doc, err := report.BuildDocument(ctx, st, req)
			if err != nil {
				return err
			}
			doc.Letter = letter
			write := export.XLSX
			if *format == "pdf" {
				write = export.PDF
			}
			return writeOut(*out, stdout, strings.ToUpper(*format), func(w io.Writer) error { return write(w, doc) })
		}
		rep, err := report.Build(ctx, st, req)
		if err != nil {
			return err
		}
		w := stdout
		if *out != "" && *out != "-" {
			file, err := os.Create(*out)
			if err != nil {
				return msg.Errorf("cli.out_failed", *out, fileProblem(err))
			}
			defer file.Close()
			w = file
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		return enc.Encode(rep)

	case "template":
		return runTemplate(f, args, stdout)

	case "export":
		return runExport(ctx, f, args, openDB, stdout)

	case "serve", "demo":
		return runServe(ctx, cmd, f, args, *global.db, stdout, stderr)

	case "backup", "restore":
		return runBackup(ctx, cmd, f, args, *global.db, stdout)

	case "version":
		return runVersion(stdout)

	case "user":
		if len(args) == 0 {
			return usageError{msg.New("cli.user_sub")}
		}
		sub := args[0]
		role := f.String("role", "", "admin, manager or viewer")
		unitCode := f.String("unit", "", "unit code")
		expires := f.String("expires", "90d", "token lifetime")
		label := f.String("name", "", "token name")
		tokenID := f.String("token-id", "", "the ID of the token to revoke")
		pos, err := f.parse(args[1:])
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usageError{msg.New("cli.user_name", sub)}
		}
		switch sub {
		case "add":
			if !slices.Contains(store.Roles, *role) {
				return usageError{msg.New("cli.user_role", *role)}
			}
			if *unitCode == "" {
				return usageError{msg.New("cli.user_unit")}
			}
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && err != io.EOF {
				return err
			}
			password := strings.TrimRight(line, "\r\n")
			switch store.PasswordProblem(pos[0], password) {
			case store.PasswordShort:
				return msg.Errorf("cli.password_short", store.MinPasswordLen)
			case store.PasswordLong:
				return msg.Errorf("cli.password_long", store.MaxPasswordLen)
			case store.PasswordCommon:
				return msg.Errorf("cli.password_common")
			}
			st, err := openDB()
			if err != nil {
				return err
			}
			defer st.Close()
			if taken, err := st.UserExists(ctx, pos[0]); err != nil {
				return err
			} else if taken {
				return msg.Errorf("cli.user_exists", pos[0])
			}
			if err := st.AddUser(ctx, "cli", pos[0], password, *role, *unitCode); err != nil {
				return err
			}
			say(stdout, "cli.user_created", pos[0], *role, *unitCode)
			return nil
		case "token":
			life, err := parseLifetime(*expires)
			if err != nil {
				return usageError{msg.New("cli.token_expires", *expires)}
			}
			if len(*label) > 64 {
				return usageError{msg.New("cli.token_name")}
			}
			st, err := openDB()
			if err != nil {
				return err
			}
			defer st.Close()
			token, info, err := st.NewTokenFor(ctx, "cli", pos[0], store.TokenOptions{Name: *label, Expires: time.Now().Add(life)})
			if err != nil {
				return err
			}
			fmt.Fprintln(stdout, token)
			say(stderr, "cli.token_made", info.ID, pos[0], info.Expires.Format(time.RFC3339))
			return nil
		case "revoke":
			st, err := openDB()
			if err != nil {
				return err
			}
			defer st.Close()
			n, err := st.RevokeTokens(ctx, "cli", pos[0], *tokenID)
			if err != nil {
				if errors.Is(err, domain.ErrNotFound) && *tokenID != "" {
					return msg.Errorf("cli.token_none_id", pos[0], *tokenID)
				}
				if errors.Is(err, domain.ErrNotFound) {
					if taken, err2 := st.UserExists(ctx, pos[0]); err2 == nil && taken {
						say(stdout, "cli.token_none", pos[0])
						return nil
					}
				}
				return err
			}
			say(stdout, "cli.token_revoked", msg.Count(n), pos[0])
			return nil
		}
		return usageError{msg.New("cli.user_unknown", sub)}
	}
	return usageError{msg.New("cli.command_unknown", cmd)}
}

// parseLifetime reads a token's lifetime: "90d", "12h", or a Go
// duration; at least a minute, at most ten years.
func parseLifetime(s string) (time.Duration, error) {
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, err
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, err
		}
	}
	if d < time.Minute || d > 10*366*24*time.Hour {
		return 0, errors.New("out of range")
	}
	return d, nil
}

// letterFlags names the flags of a letter's invalid fields: "--signer-title:
// có 4 dòng, tối đa 3".
func letterFlags(err error) error {
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := &domain.ValidationError{}
	for _, fe := range ve.Errors {
		fe.Field = "--" + strings.ReplaceAll(fe.Field, "_", "-")
		out.Errors = append(out.Errors, fe)
	}
	return out
}

// importMaxRows is the row cap of `congdoan import`: --max-rows, else
// CONGDOAN_IMPORT_MAX_ROWS (empty: not set), else importer.DefaultMaxRows.
// Only the command line may raise it: a national members file has 11
// million rows, an upload's body is capped anyway.
func importMaxRows(fs *flag.FlagSet, flagValue string) (int, error) {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "max-rows" })
	name, v := "--max-rows", flagValue
	if !given {
		env, ok, err := lookupEnv("CONGDOAN_IMPORT_MAX_ROWS")
		if err != nil {
			return 0, err
		}
		if !ok || env == "" {
			return importer.DefaultMaxRows, nil
		}
		name, v = "CONGDOAN_IMPORT_MAX_ROWS", env
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, usageError{msg.New("cli.import_max_rows", name, v, count(importer.DefaultMaxRows))}
	}
	return n, nil
}
