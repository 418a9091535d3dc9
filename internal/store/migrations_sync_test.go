package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// Most migrations are written once, in migrations/common, and rendered for
// each engine; the rest by hand, side by side, one file per engine. This
// test keeps them in step: both engines' folders hold the same numbered
// files, none of them a version of migrations/common, and a new database
// of each engine ends with the same tables, columns and indexes.

func TestMigrationFilesInStep(t *testing.T) {
	names := func(dir string) []string {
		entries, err := os.ReadDir(filepath.Join("migrations", dir))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") {
				out = append(out, e.Name())
			}
		}
		return out
	}
	lite, pg := names("sqlite"), names("postgres")
	if !slices.Equal(lite, pg) {
		t.Errorf("migration files differ:\n  sqlite:   %v\n  postgres: %v", lite, pg)
	}
	version := func(name string) string { return strings.SplitN(name, "_", 2)[0] }
	for _, c := range names("common") {
		for _, l := range lite {
			if version(l) == version(c) {
				t.Errorf("version %s is both common/%s and {sqlite,postgres}/%s", version(c), c, l)
			}
		}
	}
}

func TestMigrationSchemasInStep(t *testing.T) {
	ctx := context.Background()
	schemas := map[store.Engine][]string{}
	for _, e := range storetest.Engines {
		url := storetest.URL(t, e)
		st, err := store.Open(ctx, url)
		if err != nil {
			t.Fatalf("open %s: %v", e, err)
		}
		st.Close()
		schemas[e] = schemaOf(t, e, url)
	}
	lite, pg := schemas[store.SQLite], schemas[store.Postgres]
	// Indexes one engine has on purpose: PostgreSQL's trigram indexes
	// (pg_trgm) serve searches SQLite answers by reading the subtree.
	pg = slices.DeleteFunc(pg, func(s string) bool { return engineOnly[s] })
	// SQLite's name search index is an FTS5 table (migration 013), with
	// the tables FTS5 keeps it in.
	lite = slices.DeleteFunc(lite, func(s string) bool { return strings.HasPrefix(s, "members_fts") })
	t.Logf("%d schema lines on SQLite, %d on PostgreSQL", len(lite), len(pg))
	for _, l := range lite {
		if !slices.Contains(pg, l) {
			t.Errorf("only on SQLite: %s", l)
		}
	}
	for _, p := range pg {
		if !slices.Contains(lite, p) {
			t.Errorf("only on PostgreSQL: %s", p)
		}
	}
}

// engineOnly lists the schema lines deliberately on one engine only.
var engineOnly = map[string]bool{
	"index units_name_trgm":   true,
	"index units_code_trgm":   true,
	"index members_name_trgm": true,
	// PostgreSQL's name search dictionary (migration 019); SQLite's FTS5
	// index serves the same searches.
	"member_names.name_key":    true,
	"member_names.name_folded": true,
	"index member_names_key":   true,
	"index member_names_trgm":  true,
}

// schemaOf lists "table.column" and "index name" lines of a migrated
// database, sorted; engine-internal tables are left out.
func schemaOf(t *testing.T, e store.Engine, url string) []string {
	t.Helper()
	var db *sql.DB
	var err error
	var q string
	if e == store.SQLite {
		db, err = sql.Open("sqlite", "file:"+strings.TrimPrefix(url, "sqlite:")+"?mode=ro")
		q = `SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
		     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
		     UNION ALL
		     SELECT 'index ' || name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'`
	} else {
		db, err = sql.Open("pgx", url)
		q = `SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'
		     UNION ALL
		     SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'`
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", e, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
