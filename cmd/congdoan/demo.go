package main

import (
	"context"
	"io"

	"congdoan/internal/demo"
	"congdoan/internal/msg"
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
		say(stdout, "cli.demo_loading")
		if err := demo.Load(ctx, st); err != nil {
			return msg.Errorf("cli.demo_load_failed", msg.Of(err))
		}
	}
	if taken, err := st.UserExists(ctx, demo.User); err != nil {
		return err
	} else if !taken {
		if err := st.AddUser(ctx, "demo", demo.User, demo.Password, "admin", "HN"); err != nil {
			return err
		}
	}
	say(stdout, "cli.demo_login", demo.User, demo.Password)
	return nil
}
