# Quarry: the two commands that do everything are `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN = .build/release/quarry
# `make install [PREFIX=/usr/local] [DESTDIR=staging]`; QUARRY_BIN=path installs an already built binary
# instead of building the release one (the tests install the debug build this way).
PREFIX ?= /usr/local
DESTDIR ?=
QUARRY_BIN ?=

.PHONY: deps deps-spark build release test lint format demo bench eval fuzz clean install

deps:
	@./Scripts/install-deps.sh

# Java and PySpark for the Spark proof (SparkTests skip without them); not part of `deps`.
deps-spark:
	@./Scripts/install-spark.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product quarry

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	.build/debug/quarry plugins test --plugins Plugins

install: $(if $(QUARRY_BIN),,release)
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" ./Scripts/install.sh "$(or $(QUARRY_BIN),$(RELEASE_BIN))"

demo: release
	@./Scripts/demo.sh $(RELEASE_BIN)

bench: deps
	$(SWIFT) build -c release --product quarry
	$(SWIFT) build -c release --product QuarryBench
	.build/release/QuarryBench $(SECTIONS)

# The formatter's rules and the layering rule (Scripts/lint.sh); `make format` applies the formatter.
lint:
	./Scripts/lint.sh

format:
	$(SWIFT) format format --in-place --recursive --parallel Sources Tests Benchmarks Package.swift

# Quality against the development gold (Tests/Gold/): quarry score's figures, floors in Tests/Gold/floors.txt.
eval: release
	./Scripts/eval.sh $(RELEASE_BIN)

# libFuzzer + AddressSanitizer over the readers, parsers and the Lua bridge (Fuzz/, Scripts/fuzz.sh):
# `make fuzz [SECONDS=60] [TARGETS="html csv"] [JOBS=2]`, SECONDS per target.
SECONDS ?= 60
JOBS ?= 2
fuzz: deps
	SECONDS_EACH="$(SECONDS)" JOBS="$(JOBS)" TARGETS="$(TARGETS)" ./Scripts/fuzz.sh

clean:
	rm -rf .build quarry-out
