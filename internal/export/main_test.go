package export_test

import (
	"testing"

	"congdoan/internal/storetest"
)

// TestMain hashes the tests' passwords at bcrypt's minimum cost
// (storetest.Main).
func TestMain(m *testing.M) { storetest.Main(m) }
