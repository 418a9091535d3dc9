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
)

type importJSON struct {
	Kind string `json:"kind"`
	File string `json:"file"`
	Rows int    `json:"rows"`
}

// apiImport answers POST /api/v1/import/{kind}: the CSV or XLSX file of
// the multipart field "file", imported with the rules of `congdoan import`
// (all or nothing) and the user's subtree checked on every unit a row
// touches. 200 with the summary; 422 with every row error.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) {
	u, ok := s.apiWriter(w, r)
	if !ok {
		return
	}
	kind := r.PathValue("kind")
	if !slices.Contains(importer.Kinds, kind) {
		writeJSON(w, http.StatusNotFound, apiError{Error: fmt.Sprintf("unknown import kind %q (one of %s)", kind, strings.Join(importer.Kinds, ", "))})
		return
	}
	fileErr := func(msg string) {
		s.apiFail(w, r, &domain.ValidationError{Errors: []domain.FieldError{{Field: "file", Message: msg}}})
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: "the file is too large"})
			return
		}
		fileErr("required: a .csv or .xlsx file in the multipart field file")
		return
	}
	defer f.Close()
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	name := filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".csv" && ext != ".xlsx" {
		fileErr("the file must be .csv or .xlsx")
		return
	}
	// The importer reads a file by path, and tells CSV from XLSX by its
	// extension.
	dir, err := os.MkdirTemp("", "congdoan-upload-")
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "upload"+ext)
	if err := saveFile(path, f); err != nil {
		s.apiFail(w, r, err)
		return
	}
	im := &importer.Importer{Store: s.Store, Allow: s.importAllow(u), Actor: u.Name}
	sum, err := im.File(r.Context(), kind, path, name)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, importJSON{Kind: sum.Kind, File: sum.File, Rows: sum.Rows})
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
