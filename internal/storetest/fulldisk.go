package storetest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"syscall"
	"testing"
	"time"
)

// FullDisk mounts a tmpfs of size bytes on a new temporary folder and
// returns the folder; the test's cleanup unmounts it. Mounting needs root
// (CI runs as root): without it the test fails under CI=true and skips
// otherwise. The mount is made with the system call, not the mount
// command, and unmounted lazily if a file is still open at cleanup, so
// that no mount outlives the test.
func FullDisk(t testing.TB, size int) string {
	t.Helper()
	dir := t.TempDir()
	// Registered after t.TempDir, so that it runs before the folder's removal.
	mountTmpfs(t, dir, size)
	return dir
}

// mountTmpfs mounts a tmpfs of size bytes on dir, and unmounts it when the
// test ends. Without root the test fails under CI=true and skips otherwise.
func mountTmpfs(t testing.TB, dir string, size int) {
	t.Helper()
	need := func(why string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("the full-disk tests must run in CI: %s", why)
		}
		t.Skipf("full-disk test skipped: %s", why)
	}
	if os.Geteuid() != 0 {
		need("mounting a tmpfs needs root")
	}
	if err := syscall.Mount("congdoan-test", dir, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, fmt.Sprintf("size=%d,mode=0755", size)); err != nil {
		need("mount tmpfs: " + err.Error())
	}
	t.Cleanup(func() {
		var err error
		for range 20 {
			if err = syscall.Unmount(dir, 0); err == nil || errors.Is(err, syscall.EINVAL) {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		// Still busy: detach it now, the kernel drops it once unused.
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
}

// Fill fills the file system of dir to its last byte with a file of
// zeros, and returns a function that removes the file.
func Fill(t testing.TB, dir string) (free func()) {
	t.Helper()
	p := dir + "/zz-filler"
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	// Large writes first, then smaller ones to take the last pages.
	for _, n := range []int{1 << 20, 4 << 10, 1} {
		buf := make([]byte, n)
		for {
			if _, err := f.Write(buf); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatal(err)
				}
				break
			}
		}
	}
	if err := f.Close(); err != nil && !errors.Is(err, syscall.ENOSPC) {
		t.Fatal(err)
	}
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil || fs.Bavail != 0 {
		t.Fatalf("the disk is not full: %d blocks free, %v", fs.Bavail, err)
	}
	return func() {
		if err := os.Remove(p); err != nil {
			t.Error(err)
		}
	}
}

// LeftNothing fails the test when dir holds other files than before,
// which Files gave before what was tried: a failed write must leave
// nothing behind.
func LeftNothing(t testing.TB, dir string, before []string, what string) {
	t.Helper()
	if files := Files(t, dir); !slices.Equal(files, before) {
		t.Errorf("%s left files: %q, before %q", what, files, before)
	}
}

// Files lists the names and sizes of the files in dir, sorted, leaving out
// Fill's file: what a test compares before and after a failed write.
func Files(t testing.TB, dir string) []string {
	t.Helper()
	d, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil && err != io.EOF {
		t.Fatal(err)
	}
	var out []string
	for _, n := range names {
		if n != "zz-filler" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
