# Quarry: the two commands that do everything are `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN = .build/release/quarry

.PHONY: deps build release test lint format demo bench eval clean

deps:
	@./Scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product quarry

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	.build/debug/quarry plugins test --plugins Plugins

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

clean:
	rm -rf .build quarry-out
