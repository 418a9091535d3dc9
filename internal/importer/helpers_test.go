package importer_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// eachEngine runs body on each engine, beside the other tests and the
// other engine.
func eachEngine(t *testing.T, body func(t *testing.T, st *store.Store)) {
	t.Helper()
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		body(t, st)
	})
}

// loadKinds imports the testdata/ files of kinds, in that order.
func loadKinds(t *testing.T, st *store.Store, kinds ...string) {
	t.Helper()
	for _, k := range kinds {
		load(t, st, k)
	}
}

// wantNErrs is wantErrs with exactly n errors.
func wantNErrs(t *testing.T, n int, err error, file string, want ...loc) []domain.FieldError {
	t.Helper()
	errs := wantErrs(t, err, file, want...)
	if len(errs) != n {
		t.Errorf("%d errors, want %d: %v", len(errs), n, err)
	}
	return errs
}

// fileErr is the error of the import of the file at path as kind.
func fileErr(st *store.Store, kind, path string) error {
	return importPath(st, kind, path, filepath.Base(path))
}

// unitsFileErr is the error of the import, as units, of a file named name
// holding content.
func unitsFileErr(t *testing.T, st *store.Store) func(name string, content []byte) error {
	return func(name string, content []byte) error {
		t.Helper()
		_, err := newImporter(st).File(ctx, "units", put(t, name, content), name)
		return err
	}
}

// csvErr is the error of the import of the CSV text content as kind.
func csvErr(t *testing.T, st *store.Store, kind, content string) error {
	t.Helper()
	_, err := importCSV(t, st, kind, content)
	return err
}

// loadRows loads the testdata/ file of kind, which must have n rows.
func loadRows(t *testing.T, st *store.Store, kind string, n int) {
	t.Helper()
	if sum := load(t, st, kind); sum.Rows != n {
		t.Errorf("%s: rows = %d, want %d", kind, sum.Rows, n)
	}
}

// found is what get reads for code; any error ends the test.
func found[T any](t *testing.T, what string, get func(context.Context, string) (T, error), code string) T {
	t.Helper()
	v, err := get(ctx, code)
	if err != nil {
		t.Fatalf("%s %s: %v", what, code, err)
	}
	return v
}

// absent checks that get finds none of codes.
func absent[T any](t *testing.T, what string, get func(context.Context, string) (T, error), codes ...string) {
	t.Helper()
	for _, c := range codes {
		if _, err := get(ctx, c); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("%s %s: err %v, want not found (written by a failed import?)", what, c, err)
		}
	}
}
