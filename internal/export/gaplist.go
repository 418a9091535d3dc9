package export

import (
	"context"
	"io"

	"congdoan/internal/store"
)

// WriteEnterpriseList writes the enterprises a filter selects, largest
// first, in the format of enterprises.csv on a sheet of this name: the gap
// list with the filters of its page.
func WriteEnterpriseList(ctx context.Context, w io.Writer, format, sheet string, st *store.Store, f store.EnterpriseFilter) error {
	return writeList(w, format, sheet, ListColumns("enterprises"), func(l ListWriter) error {
		rec := newRecords(l, "enterprises")
		return st.StreamEnterprises(ctx, f, func(e *store.EnterpriseRow) error { return rec.enterprise(&e.Enterprise) })
	})
}
