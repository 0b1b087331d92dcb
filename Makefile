# reunify: build, test, benchmark and lint. "make help" lists the targets.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
BIN     := bin/reunify
BENCH   ?= .
COUNT   ?= 6
FUZZTIME ?= 5m
FUZZMIN  ?= 2s

.PHONY: build run test lint bench bench-national bench-peers help clean browser-test fuzz mutate pgo

build: ## build bin/reunify
	$(GO) build -trimpath -buildvcs=auto -ldflags "-X github.com/reunify/reunify/internal/buildinfo.version=$(VERSION)" -o $(BIN) ./cmd/reunify

run: build ## build, then run the local-authority scenario
	./$(BIN) run scenarios/local-authority.toml

test: lint ## lint, every test under the race detector, then the model validation
	$(GO) test -race -count=1 ./...
	@# The validation simulates England (400,000 children an iteration): it
	@# skips itself under -race and runs here at full speed; so does the
	@# statistical check of the shipped scenarios' uncertainty.
	$(GO) test -count=1 ./validation/ ./scenarios/
	@# Each fuzzer for 40,000 inputs (about 10 s): hostile scenario and
	@# SSDA903 files must neither panic nor hang. Crashers land in
	@# testdata/fuzz/ as regression tests. A count, not a duration: with a
	@# duration Go's fuzz coordinator can race its own deadline on a loaded
	@# machine and fail with "context deadline exceeded" and no crasher;
	@# minimising a new input is bounded by a count too.
	$(MAKE) --no-print-directory fuzz FUZZTIME=40000x FUZZMIN=1000x

fuzz: ## run each fuzzer for FUZZTIME (default 5m; a count such as 40000x also works), one target at a time
	$(GO) test -run='^$$' -fuzz='^FuzzLoad$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMIN) ./scenario/
	$(GO) test -run='^$$' -fuzz='^FuzzRead$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMIN) ./ssda903/

mutate: ## every case of the adversarial scenario suite and of the distribution checks (about 9 minutes; make test runs a subset)
	REUNIFY_FUZZ=1 $(GO) test -count=1 -timeout 60m -run '^(TestMutatedScenarios|TestWhatValidatesDraws)$$' ./cmd/reunify/ ./scenario/

lint: ## gofmt and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt wants changes in:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

browser-test: ## open the local-authority report in headless Chromium (screenshot in build/)
	./scripts/browser-test.sh

bench: ## benchmarks (COUNT runs each, for benchstat), built with the profile as reunify is
	$(GO) test -pgo=$(CURDIR)/cmd/reunify/default.pgo -run='^$$' -bench='$(BENCH)' -benchmem -count=$(COUNT) ./...

pgo: ## refresh cmd/reunify/default.pgo, the profile go build optimises reunify with, from the England, team and BM1 benchmarks
	$(GO) test -pgo=off -run='^$$' -bench='^Benchmark(England|LocalAuthorityTeam|BM1)$$' -benchtime=5x -count=1 -cpuprofile $(CURDIR)/cmd/reunify/default.pgo -o /dev/null ./sim/

bench-national: ## the national run: England, 1,000 iterations, two arms (minutes): wall time and peak memory
	REUNIFY_NATIONAL=1000 $(GO) test -count=1 -run TestNationalRun -v -timeout 1h ./cmd/reunify/

bench-peers: ## BM1 in reunify, numpy and R side by side (ROUNDS interleaved rounds), England too: CPU-ns per child-arm and ratios
	./scripts/bench-peers.sh $(or $(ROUNDS),3)

clean: ## remove build output
	rm -rf bin

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'
