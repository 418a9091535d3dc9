package main

import (
	"context"
	"fmt"
	"io"

	"congdoan/internal/demo"
	"congdoan/internal/store"
)

// startDemo loads the demo data into an empty database and creates the
// demo login.
func startDemo(ctx context.Context, st *store.Store, stdout io.Writer) error {
	empty, err := st.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if empty {
		fmt.Fprintln(stdout, "Đang nạp dữ liệu mẫu Hà Nội 2022–2026 / loading the Hanoi 2022–2026 demo data…")
		if err := demo.Load(ctx, st); err != nil {
			return fmt.Errorf("load the demo data: %w", err)
		}
	}
	if taken, err := st.UserExists(ctx, demo.User); err != nil {
		return err
	} else if !taken {
		if err := st.AddUser(ctx, "demo", demo.User, demo.Password, "admin", "HN"); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "Đăng nhập / login: %s / %s\n", demo.User, demo.Password)
	return nil
}
