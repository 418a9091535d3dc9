package store

import (
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// New passwords are hashed at bcrypt's default cost; tests may lower it
// for a while, and restore puts it back.
func TestPasswordCost(t *testing.T) {
	cost := func() int {
		t.Helper()
		h, err := hashPassword("mật-khẩu-Hà-Nội-2022")
		if err != nil {
			t.Fatal(err)
		}
		c, err := bcrypt.Cost(h)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := cost(); c != bcrypt.DefaultCost {
		t.Fatalf("cost %d, want the default %d", c, bcrypt.DefaultCost)
	}
	restore := LowerPasswordCostForTests()
	if c := cost(); c != bcrypt.MinCost {
		t.Errorf("lowered: cost %d, want %d", c, bcrypt.MinCost)
	}
	restore()
	if c := cost(); c != bcrypt.DefaultCost {
		t.Errorf("restored: cost %d, want %d", c, bcrypt.DefaultCost)
	}
	// The hash an unknown user is checked against costs what a real one
	// does.
	if c, err := bcrypt.Cost(dummyHash()); err != nil || c != bcrypt.DefaultCost {
		t.Errorf("dummy hash: cost %d, %v", c, err)
	}
}
