# reunify: build, test, benchmark and lint. "make help" lists the targets.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
BIN     := bin/reunify
BENCH   ?= .
COUNT   ?= 6

.PHONY: build run test lint bench help clean browser-test

build: ## build bin/reunify
	$(GO) build -trimpath -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/reunify

run: build ## build, then run the local-authority scenario
	./$(BIN) run scenarios/local-authority.toml

test: lint ## lint, every test under the race detector, then the model validation
	$(GO) test -race -count=1 ./...
	@# The validation simulates England (400,000 children an iteration): it
	@# skips itself under -race and runs here at full speed.
	$(GO) test -count=1 ./validation/

lint: ## gofmt and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt wants changes in:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

browser-test: ## open the local-authority report in headless Chromium (screenshot in build/)
	./scripts/browser-test.sh

bench: ## benchmarks (COUNT runs each, for benchstat)
	$(GO) test -run='^$$' -bench='$(BENCH)' -benchmem -count=$(COUNT) ./...

clean: ## remove build output
	rm -rf bin

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'
