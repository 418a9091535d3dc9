package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/export"
	"congdoan/internal/importer"
	"congdoan/internal/msg"
	"congdoan/internal/store"
)

// runTemplate is `congdoan template KIND -o FILE.xlsx`: the XLSX template of
// an import kind.
func runTemplate(f *flags, args []string, stdout io.Writer) error {
	out := f.String("o", "", "output file (.xlsx)")
	kind, err := kindArg(f, args, "cli.template_args", "cli.import_kind_unknown")
	if err != nil {
		return err
	}
	if *out == "" {
		*out = export.TemplateFileName(kind)
	}
	if *out != "-" && export.FormatOf(*out) != export.FormatXLSX {
		return usageError{msg.New("cli.template_xlsx", *out)}
	}
	return writeOut(*out, stdout, "XLSX", func(w io.Writer) error { return export.Template(w, kind) })
}

// runExport is `congdoan export KIND [--unit CODE] [--only upper|grassroots]
// [filters] -o FILE.xlsx|.csv`: the records of a kind in its import format.
// The filters are those of the web lists: for members --q, --status
// active|left, --gender male|female, --joined-from, --joined-to, --party
// yes|no; for enterprises --q, --ownership, --area, --min-employees,
// --max-employees, --union with|without, and --gap (the gap list: 25 or
// more workers and no open union).
func runExport(ctx context.Context, f *flags, args []string, openDB func() (*store.Store, error), stdout io.Writer) error {
	unit := f.String("unit", "", "the subtree to export (default: everything)")
	only := f.String("only", "", "units: upper or grassroots")
	out := f.String("o", "", "output file (.xlsx or .csv)")
	format := f.String("format", "", "xlsx or csv (default: from -o)")
	q := f.String("q", "", "members: part of the name; enterprises: part of the name or the start of the tax code")
	status := f.String("status", "", "members: active or left (as of today)")
	gender := f.String("gender", "", "members: male or female")
	joinedFrom := f.String("joined-from", "", "members: joined on or after (dd/mm/yyyy)")
	joinedTo := f.String("joined-to", "", "members: joined on or before (dd/mm/yyyy)")
	party := f.String("party", "", "members: yes or no (introduced to the Party)")
	ownership := f.String("ownership", "", "enterprises: state, private, fdi, public, cooperative or informal")
	area := f.String("area", "", "enterprises: the area as recorded")
	minEmp := f.Int64("min-employees", 0, "enterprises: at least this many workers")
	maxEmp := f.Int64("max-employees", 0, "enterprises: at most this many workers")
	union := f.String("union", "", "enterprises: with or without an open union")
	gap := f.Bool("gap", false, "enterprises: the gap list (25 or more workers, no open union)")
	kind, err := kindArg(f, args, "cli.export_args", "cli.export_kind_unknown")
	if err != nil {
		return err
	}
	if *only != "" && (kind != "units" || (*only != "upper" && *only != "grassroots")) {
		return usageError{msg.New("cli.export_only")}
	}
	mf, ef, err := exportFilters(kind, exportFlags{q: *q, status: *status, gender: *gender, joinedFrom: *joinedFrom, joinedTo: *joinedTo,
		party: *party, ownership: *ownership, area: *area, minEmp: *minEmp, maxEmp: *maxEmp, union: *union, gap: *gap})
	if err != nil {
		return err
	}
	if *out == "" {
		return usageError{msg.New("cli.export_o")}
	}
	if *format == "" {
		*format = export.FormatOf(*out)
	}
	if *format != export.FormatXLSX && *format != export.FormatCSV {
		return usageError{msg.New("cli.export_format", *out)}
	}
	st, err := openDB()
	if err != nil {
		return err
	}
	defer st.Close()
	opts := export.RecordOptions{Only: *only, Members: mf, Enterprises: ef}
	if *unit != "" {
		u, err := st.Unit(ctx, *unit)
		if err != nil {
			return err
		}
		opts.Path = u.Path
	}
	return writeOut(*out, stdout, strings.ToUpper(*format), func(w io.Writer) error {
		return export.WriteRecords(ctx, w, *format, st, kind, opts)
	})
}

// kindArg parses the flags and the one argument left, an import kind: a
// count other than one is the usage error args, a kind not known the usage
// error unknown (message keys).
func kindArg(f *flags, args []string, argsKey, unknownKey string) (string, error) {
	pos, err := f.parse(args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		return "", usageError{msg.New(argsKey)}
	}
	if !slices.Contains(importer.Kinds, pos[0]) {
		return "", usageError{msg.New(unknownKey, pos[0], strings.Join(importer.Kinds, ", "))}
	}
	return pos[0], nil
}

// writeOut writes a file through write: to standard output for "-",
// otherwise next to the target and renamed into place, so that a failure
// never leaves half a file under the name asked for.
func writeOut(out string, stdout io.Writer, what string, write func(io.Writer) error) error {
	if out == "-" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return msg.Errorf("cli.out_failed", out, fileProblem(err))
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return msg.Errorf("cli.write_failed", out, fileProblem(err))
	}
	info, err := tmp.Stat()
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), out)
	}
	if err != nil {
		return msg.Errorf("cli.out_failed", out, fileProblem(err))
	}
	say(stdout, "cli.wrote", out, what, count(info.Size()))
	return nil
}

// exportFlags are the list filters of `congdoan export`.
type exportFlags struct {
	q, status, gender, joinedFrom, joinedTo, party, ownership, area, union string
	minEmp, maxEmp                                                         int64
	gap                                                                    bool
}

// exportFilters checks the filters of an export of kind and turns them
// into the store's filters; a filter of the other kind, or a value not
// understood, is a usage error naming the flag.
func exportFilters(kind string, x exportFlags) (store.MemberFilter, store.EnterpriseFilter, error) {
	var mf store.MemberFilter
	var ef store.EnterpriseFilter
	bad := func(flag, want string) error {
		return usageError{msg.New("cli.export_bad_value", flag, want)}
	}
	// oneOf is v when it is empty or one of allowed, else the usage
	// error of flag.
	oneOf := func(flag, v string, allowed ...string) (string, error) {
		if v == "" || slices.Contains(allowed, v) {
			return v, nil
		}
		return "", bad(flag, strings.Join(allowed, "|"))
	}
	only := func(flag, k string) error {
		return usageError{msg.New("cli.export_filter_only", flag, k)}
	}
	memberSet := map[string]bool{"status": x.status != "", "gender": x.gender != "", "joined-from": x.joinedFrom != "",
		"joined-to": x.joinedTo != "", "party": x.party != ""}
	entSet := map[string]bool{"ownership": x.ownership != "", "area": x.area != "", "min-employees": x.minEmp != 0,
		"max-employees": x.maxEmp != 0, "union": x.union != "", "gap": x.gap}
	for _, name := range []string{"status", "gender", "joined-from", "joined-to", "party"} {
		if memberSet[name] && kind != "members" {
			return mf, ef, only(name, "members")
		}
	}
	for _, name := range []string{"ownership", "area", "min-employees", "max-employees", "union", "gap"} {
		if entSet[name] && kind != "enterprises" {
			return mf, ef, only(name, "enterprises")
		}
	}
	if x.q != "" && kind != "members" && kind != "enterprises" {
		return mf, ef, only("q", "members, enterprises")
	}
	switch kind {
	case "members":
		mf.Q, mf.AsOf = x.q, domain.Today()
		var err error
		if mf.Status, err = oneOf("status", x.status, store.StatusActive, store.StatusLeft); err != nil {
			return mf, ef, err
		}
		if mf.Gender, err = oneOf("gender", x.gender, "male", "female"); err != nil {
			return mf, ef, err
		}
		if mf.Party, err = oneOf("party", x.party, "yes", "no"); err != nil {
			return mf, ef, err
		}
		if mf.JoinedFrom, err = domain.ParseDate(x.joinedFrom); err != nil {
			return mf, ef, bad("joined-from", "dd/mm/yyyy")
		}
		if mf.JoinedTo, err = domain.ParseDate(x.joinedTo); err != nil {
			return mf, ef, bad("joined-to", "dd/mm/yyyy")
		}
	case "enterprises":
		ef.Q, ef.Area, ef.AsOf = x.q, x.area, domain.Today()
		var err error
		if ef.Ownership, err = oneOf("ownership", x.ownership, domain.OwnState, domain.OwnPrivate, domain.OwnFDI, domain.OwnPublic, domain.OwnCooperative, domain.OwnInformal); err != nil {
			return mf, ef, err
		}
		if ef.Union, err = oneOf("union", x.union, "with", "without"); err != nil {
			return mf, ef, err
		}
		if x.minEmp < 0 {
			return mf, ef, bad("min-employees", "0+")
		}
		if x.maxEmp < 0 || (x.maxEmp > 0 && x.maxEmp < x.minEmp) {
			return mf, ef, bad("max-employees", "≥ --min-employees")
		}
		ef.MinEmployees, ef.MaxEmployees = x.minEmp, x.maxEmp
		if x.gap {
			if x.union == "with" {
				return mf, ef, usageError{msg.New("cli.export_gap_union")}
			}
			ef.Union, ef.MinEmployees = "without", max(ef.MinEmployees, domain.GapMinWorkers)
		}
	}
	return mf, ef, nil
}
