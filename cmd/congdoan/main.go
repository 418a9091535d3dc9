// Command congdoan plans, records and reports the growth of trade-union
// membership. See INTERFACE.md for the commands.
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
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/export"
	"congdoan/internal/importer"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/vn"
)

const usage = `congdoan: phát triển đoàn viên, thành lập CĐCS / union membership growth

Usage:
  congdoan [--db URL] import KIND FILE      KIND: units, enterprises, members, transfers, plans, targets, campaigns, moves
  congdoan [--db URL] import members FILE --unit CODE   every member without a unit column goes to grassroots unit CODE
  congdoan template KIND [-o FILE.xlsx]    an XLSX template of the import KIND, to fill in and import
  congdoan [--db URL] export KIND [--unit CODE] [--only upper|grassroots] -o FILE.xlsx|FILE.csv   the records in the import format
  congdoan [--db URL] report --plan CODE [--unit CODE] [--as-of DATE] [--campaign CODE] [--format json|xlsx|pdf] [-o FILE]
        PDF: [--number "15/BC-LĐLĐ"] [--place "Hà Nội"] [--date DATE] [--recipients "A;B"] [--signer-title "TM. BAN THƯỜNG VỤ;CHỦ TỊCH"] [--signer NAME]
  congdoan [--db URL] serve [--addr HOST:PORT] [--trust-proxy]   --trust-proxy: behind a reverse proxy, trust X-Forwarded-For and X-Forwarded-Proto
        [--base-url URL] [--session-lifetime 12h] [--tls-cert FILE --tls-key FILE] [--log-format text|json]
        [--db-replica URL]... [--db-replica-max-lag 5s] [--db-replica-required] [--metrics-token T] [--shutdown-timeout 30s]
        every setting also from CONGDOAN_<NAME> (CONGDOAN_DB_REPLICAS: comma-separated), or from the file named by CONGDOAN_<NAME>_FILE
  congdoan [--db URL] backup FILE           a consistent copy while the server runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump -Fc)
  congdoan [--db URL] restore FILE          into an empty database (SQLite; PostgreSQL: pg_restore)
  congdoan version
  congdoan [--db URL] demo [--addr HOST:PORT]
  congdoan [--db URL] user add NAME --role admin|manager|viewer|collaborator --unit CODE   (password on stdin)
  congdoan [--db URL] user token NAME [--expires 90d] [--name LABEL]   a new API token (Nd, Nh or a Go duration; default 90d)
  congdoan [--db URL] user revoke NAME [--token-id ID]   revoke one token of the user, or all of them

The database: --db or CONGDOAN_DB (or CONGDOAN_DB_FILE); sqlite:PATH, a bare path, or postgres://...; default congdoan.db.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ve *domain.ValidationError
		if errors.As(err, &ve) {
			for _, fe := range ve.Errors {
				fmt.Fprintln(os.Stderr, fe.Error())
			}
		} else {
			fmt.Fprintln(os.Stderr, "congdoan:", err)
		}
		os.Exit(1)
	}
}

// usageError is a wrong command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg + "\n\n" + usage }

// flags is a flag set that reports errors instead of printing them and
// accepts flags before and after the positional arguments.
type flags struct {
	*flag.FlagSet
	db *string
}

func newFlags(name string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs, db: fs.String("db", "", "database URL")}
}

func (f *flags) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, usageError{"trợ giúp (help)"}
			}
			return nil, usageError{"tham số dòng lệnh không hợp lệ (" + err.Error() + ")"}
		}
		args = f.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	global := newFlags("congdoan")
	if err := global.Parse(args); err != nil {
		return usageError{"tham số dòng lệnh không hợp lệ (" + err.Error() + ")"}
	}
	args = global.Args()
	if len(args) == 0 {
		return usageError{"chưa có lệnh (no command)"}
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
		pos, err := f.parse(args)
		if err != nil {
			return err
		}
		if len(pos) != 2 {
			return usageError{"lệnh import cần KIND và FILE (import needs KIND and FILE)"}
		}
		if !contains(importer.Kinds, pos[0]) {
			return usageError{fmt.Sprintf("không có loại dữ liệu nhập %[1]q, chọn một trong %[2]s (unknown import kind %[1]q (one of %[2]s))", pos[0], strings.Join(importer.Kinds, ", "))}
		}
		if *unit != "" && pos[0] != "members" {
			return usageError{fmt.Sprintf("--unit chỉ dùng khi nhập đoàn viên: congdoan import members FILE --unit CODE (--unit is for members only, not %s)", pos[0])}
		}
		st, err := openDB()
		if err != nil {
			return err
		}
		defer st.Close()
		sum, err := (&importer.Importer{Store: st, Actor: "cli", Unit: *unit}).File(ctx, pos[0], pos[1], pos[1])
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, sum)
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
			return usageError{fmt.Sprintf("tham số thừa %[1]q (unexpected argument %[1]q)", pos[0])}
		}
		letter, err := report.ParseLetter(li)
		if err != nil {
			return letterFlags(err)
		}
		if li != (report.LetterInput{}) && *format != "pdf" {
			return usageError{"--number, --place, --date, --recipients, --signer-title và --signer chỉ dùng với --format pdf"}
		}
		if req.Plan == "" {
			return usageError{"lệnh report cần --plan (report needs --plan)"}
		}
		switch *format {
		case "json":
		case "xlsx", "pdf":
			if *out == "" {
				return usageError{fmt.Sprintf("--format %[1]s ghi ra tệp: hãy chỉ tệp bằng -o FILE, hoặc -o - để ghi ra đầu ra chuẩn (--format %[1]s writes a file: give it with -o FILE (or -o - for standard output))", *format)}
			}
		default:
			return usageError{fmt.Sprintf("--format %[1]q: chọn json, xlsx hoặc pdf (--format %[1]q: one of json, xlsx, pdf)", *format)}
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
			if *out == "-" {
				return write(stdout, doc)
			}
			// Written next to the target and renamed into place, so that a
			// failure never leaves half a document under the name asked for.
			tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".*")
			if err != nil {
				return fmt.Errorf("-o %s: %w", *out, err)
			}
			defer os.Remove(tmp.Name())
			if err := write(tmp, doc); err != nil {
				tmp.Close()
				return fmt.Errorf("write %s: %w", *out, err)
			}
			info, err := tmp.Stat()
			if err == nil {
				err = tmp.Chmod(0o644)
			}
			if cerr := tmp.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = os.Rename(tmp.Name(), *out)
			}
			if err != nil {
				return fmt.Errorf("-o %s: %w", *out, err)
			}
			fmt.Fprintf(stdout, "Đã ghi / wrote %s (%s, %s bytes)\n", *out, strings.ToUpper(*format), vn.Int(info.Size()))
			return nil
		}
		rep, err := report.Build(ctx, st, req)
		if err != nil {
			return err
		}
		w := stdout
		if *out != "" && *out != "-" {
			file, err := os.Create(*out)
			if err != nil {
				return err
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
			return usageError{"lệnh user cần add, token hoặc revoke (user needs add, token or revoke)"}
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
			return usageError{"lệnh user " + sub + " cần NAME (user " + sub + " needs NAME)"}
		}
		switch sub {
		case "add":
			if !contains(store.Roles, *role) {
				return usageError{fmt.Sprintf("--role %[1]q: chọn admin, manager, viewer hoặc collaborator (--role %[1]q: one of admin, manager, viewer, collaborator)", *role)}
			}
			if *unitCode == "" {
				return usageError{"lệnh user add cần --unit (user add needs --unit)"}
			}
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && err != io.EOF {
				return err
			}
			password := strings.TrimRight(line, "\r\n")
			switch store.PasswordProblem(pos[0], password) {
			case store.PasswordShort:
				return fmt.Errorf("mật khẩu (dòng đầu của đầu vào chuẩn) phải có ít nhất %[1]d ký tự (the password (first line of standard input) must have at least %[1]d characters)", store.MinPasswordLen)
			case store.PasswordLong:
				return fmt.Errorf("mật khẩu quá dài, tối đa %[1]d byte (the password is too long: at most %[1]d bytes)", store.MaxPasswordLen)
			case store.PasswordCommon:
				return errors.New("mật khẩu quá phổ biến hoặc quá dễ đoán, hãy chọn mật khẩu khác (the password is too common or too easy to guess)")
			}
			st, err := openDB()
			if err != nil {
				return err
			}
			defer st.Close()
			if taken, err := st.UserExists(ctx, pos[0]); err != nil {
				return err
			} else if taken {
				return fmt.Errorf("người dùng %[1]q đã có (user %[1]q already exists)", pos[0])
			}
			if err := st.AddUser(ctx, "cli", pos[0], password, *role, *unitCode); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "user %s (%s of %s) created\n", pos[0], *role, *unitCode)
			return nil
		case "token":
			life, err := parseLifetime(*expires)
			if err != nil {
				return usageError{fmt.Sprintf("--expires %[1]q: ghi số ngày như 90d, số giờ như 12h (--expires %[1]q: give days as 90d or hours as 12h)", *expires)}
			}
			if len(*label) > 64 {
				return usageError{"--name tối đa 64 byte (--name has at most 64 bytes)"}
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
			fmt.Fprintf(stderr, "token %s của / of %s, hết hạn / expires %s\n", info.ID, pos[0], info.Expires.Format(time.RFC3339))
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
					return fmt.Errorf("người dùng %[1]s không có token còn hiệu lực mang mã %[2]q (user %[1]s has no live token %[2]q)", pos[0], *tokenID)
				}
				if errors.Is(err, domain.ErrNotFound) {
					if taken, err2 := st.UserExists(ctx, pos[0]); err2 == nil && taken {
						fmt.Fprintf(stdout, "người dùng %[1]s không có token nào còn hiệu lực (user %[1]s has no live token)\n", pos[0])
						return nil
					}
				}
				return err
			}
			fmt.Fprintf(stdout, "đã thu hồi %[1]d token của %[2]s (revoked %[1]d token(s) of %[2]s)\n", n, pos[0])
			return nil
		}
		return usageError{fmt.Sprintf("không có lệnh user %[1]q (unknown user command %[1]q)", sub)}
	}
	return usageError{fmt.Sprintf("không có lệnh %[1]q (unknown command %[1]q)", cmd)}
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

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
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
