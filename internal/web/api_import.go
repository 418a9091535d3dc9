package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/msg"
)

type importJSON struct {
	Kind string `json:"kind"`
	File string `json:"file"`
	Rows int    `json:"rows"`
	// Skipped names the columns skipped (STT, Ghi chú, ...); Mended counts
	// the ID numbers and tax codes typed as numbers that got their leading
	// zeros back.
	Skipped []string `json:"skipped,omitempty"`
	Mended  int      `json:"mended,omitempty"`
	Unit    string   `json:"unit,omitempty"`
	// DryRun: nothing was written (?dry_run=1).
	DryRun bool `json:"dry_run,omitempty"`
}

// apiImport answers POST /api/v1/import/{kind}: the CSV or XLSX file of
// the multipart field "file", imported with the rules of `congdoan import`
// (all or nothing) and the user's subtree checked on every unit a row
// touches. 200 with the summary; 422 with every row error. For members,
// ?unit=CODE imports into that grassroots unit: rows without a unit
// column go to it.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	kind := r.PathValue("kind")
	if !slices.Contains(importer.Kinds, kind) {
		return errAPI(http.StatusNotFound, fmt.Sprintf("unknown import kind %q (one of %s)", kind, strings.Join(importer.Kinds, ", ")))
	}
	into := r.URL.Query().Get("unit")
	if into != "" {
		if kind != "members" {
			return invalid(domain.Invalid("unit", msg.New("import.unit_members_only", kind)))
		}
		if _, err := s.scopedUnit(r, u, into); err != nil {
			return err
		}
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errAPI(http.StatusRequestEntityTooLarge, "the file is too large")
		}
		return invalid(domain.Invalid("file", msg.New("file.required")))
	}
	defer f.Close()
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	name := filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	ext := strings.ToLower(filepath.Ext(name))
	// .xls and .ods go on to the importer, which says how to save them.
	if ext != ".csv" && ext != ".xlsx" && ext != ".xls" && ext != ".ods" {
		return invalid(domain.Invalid("file", msg.New("file.extension")))
	}
	// The importer reads a file by path, and tells CSV from XLSX by its
	// extension.
	dir, err := os.MkdirTemp("", "congdoan-upload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "upload"+ext)
	if err := saveFile(path, f); err != nil {
		return err
	}
	// ?dry_run=1 checks everything, the database's rules included, and
	// writes nothing.
	dry := r.URL.Query().Get("dry_run") == "1"
	im := &importer.Importer{Store: s.Store, Allow: s.importAllow(u), Actor: u.Name, Unit: into, DryRun: dry}
	sum, err := im.File(r.Context(), kind, path, name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, importJSON{Kind: sum.Kind, File: sum.File, Rows: sum.Rows, Skipped: sum.Skipped, Mended: sum.Mended, Unit: into, DryRun: dry})
	return nil
}

func saveFile(path string, src io.Reader) error {
	dst, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
