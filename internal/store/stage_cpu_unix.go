//go:build unix

package store

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process used so far, for the stage's
// trace: on a busy machine it measures the merge better than the clock.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
