package export

import (
	"context"
	"io"

	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// WriteEnterpriseList writes the enterprises a filter selects, largest
// first, in the format of enterprises.csv on a sheet of this name: the gap
// list with the filters of its page.
func WriteEnterpriseList(ctx context.Context, w io.Writer, format, sheet string, st *store.Store, f store.EnterpriseFilter) error {
	cols := importer.Columns("enterprises")
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	l, err := NewList(w, format, sheet, ListColumns("enterprises"))
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	err = st.StreamEnterprises(ctx, f, func(e *store.EnterpriseRow) error {
		return enterpriseRow(func(get func(string) any) error { return recordRow(l, names, vals, get) }, &e.Enterprise)
	})
	if err != nil {
		l.Close()
		return err
	}
	return l.Close()
}
