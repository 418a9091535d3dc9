# Everyday commands. `make test` is what CI runs (through .ci/run, which also
# installs PostgreSQL, chromium, poppler-utils, LibreOffice and axe-core);
# `make test-short` is the inner loop: no browser, no LibreOffice, no
# PostgreSQL, no long imports.

GO ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: demo test test-short lint bench ci

demo:
	$(GO) run ./cmd/congdoan demo

test:
	$(GO) test ./... -count=1 -timeout 30m

test-short:
	$(GO) test -short ./...

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

# Hanoi-scale benchmarks (650 000 members), SQLite and, with
# CONGDOAN_TEST_PG set, PostgreSQL. They take several minutes.
bench:
	$(GO) test ./internal/bench/ -run '^$$' -bench . -benchtime 1x -benchmem -timeout 60m

ci:
	.ci/run
