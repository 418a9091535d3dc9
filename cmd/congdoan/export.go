package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"congdoan/internal/export"
	"congdoan/internal/importer"
	"congdoan/internal/store"
	"congdoan/internal/vn"
)

// runTemplate is `congdoan template KIND -o FILE.xlsx`: the XLSX template of
// an import kind.
func runTemplate(f *flags, args []string, stdout io.Writer) error {
	out := f.String("o", "", "output file (.xlsx)")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"lệnh template cần KIND (template needs KIND)"}
	}
	kind := pos[0]
	if !contains(importer.Kinds, kind) {
		return usageError{fmt.Sprintf("không có loại dữ liệu nhập %[1]q, chọn một trong %[2]s (unknown import kind %[1]q (one of %[2]s))", kind, strings.Join(importer.Kinds, ", "))}
	}
	if *out == "" {
		*out = export.TemplateFileName(kind)
	}
	if *out != "-" && export.FormatOf(*out) != export.FormatXLSX {
		return usageError{fmt.Sprintf("-o %s: mẫu nhập là tệp .xlsx (the template is an .xlsx file)", *out)}
	}
	return writeOut(*out, stdout, "XLSX", func(w io.Writer) error { return export.Template(w, kind) })
}

// runExport is `congdoan export KIND [--unit CODE] [--only upper|grassroots]
// -o FILE.xlsx|.csv`: the records of a kind in its import format.
func runExport(ctx context.Context, f *flags, args []string, openDB func() (*store.Store, error), stdout io.Writer) error {
	unit := f.String("unit", "", "the subtree to export (default: everything)")
	only := f.String("only", "", "units: upper or grassroots")
	out := f.String("o", "", "output file (.xlsx or .csv)")
	format := f.String("format", "", "xlsx or csv (default: from -o)")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"lệnh export cần KIND (export needs KIND)"}
	}
	kind := pos[0]
	if !contains(importer.Kinds, kind) {
		return usageError{fmt.Sprintf("không có loại dữ liệu %[1]q, chọn một trong %[2]s (unknown kind %[1]q (one of %[2]s))", kind, strings.Join(importer.Kinds, ", "))}
	}
	if *only != "" && (kind != "units" || (*only != "upper" && *only != "grassroots")) {
		return usageError{"--only upper|grassroots chỉ dùng khi xuất đơn vị (--only upper|grassroots is for units only)"}
	}
	if *out == "" {
		return usageError{"lệnh export cần -o FILE.xlsx hoặc FILE.csv (export needs -o FILE.xlsx or FILE.csv; -o - with --format for standard output)"}
	}
	if *format == "" {
		*format = export.FormatOf(*out)
	}
	if *format != export.FormatXLSX && *format != export.FormatCSV {
		return usageError{fmt.Sprintf("-o %s: tệp phải là .xlsx hoặc .csv (the file must be .xlsx or .csv)", *out)}
	}
	st, err := openDB()
	if err != nil {
		return err
	}
	defer st.Close()
	opts := export.RecordOptions{Only: *only}
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

// writeOut writes a file through write: to standard output for "-",
// otherwise next to the target and renamed into place, so that a failure
// never leaves half a file under the name asked for.
func writeOut(out string, stdout io.Writer, what string, write func(io.Writer) error) error {
	if out == "-" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return fmt.Errorf("-o %s: %w", out, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", out, err)
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
		return fmt.Errorf("-o %s: %w", out, err)
	}
	fmt.Fprintf(stdout, "Đã ghi / wrote %s (%s, %s bytes)\n", out, what, vn.Int(info.Size()))
	return nil
}
