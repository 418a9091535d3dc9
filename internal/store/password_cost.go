package store

import (
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// passwordCost is bcrypt's work factor for new password hashes: the
// default everywhere but in tests (LowerPasswordCostForTests).
var passwordCost = bcrypt.DefaultCost

// hashPassword hashes a new password at passwordCost.
func hashPassword(password string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(password), passwordCost)
}

// dummyHash is compared against when the user does not exist, so that an
// unknown name takes as long to refuse as a wrong password. It is made at
// the first failed login, not at start-up: every command of the CLI would
// otherwise pay for a hash it almost never needs.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := hashPassword("congdoan: no such user")
	return h
})

// LowerPasswordCostForTests makes new password hashes use bcrypt's minimum
// cost until restore is called: a test adds users and logs in by the
// hundred, and at the default cost each hash takes tens of milliseconds.
// It does nothing outside a test binary (testing.Testing), so the product
// always hashes at the default cost.
func LowerPasswordCostForTests() (restore func()) {
	if !testing.Testing() {
		return func() {}
	}
	old := passwordCost
	passwordCost = bcrypt.MinCost
	return func() { passwordCost = old }
}
