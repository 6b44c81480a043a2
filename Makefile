# Two commands for a newcomer (see README.md):
#   make demo   – run the main job on the shipped default
#   make test   – build and run the test suite
# Both install the C libraries first (scripts/install-deps.sh, apt-get, idempotent).

SWIFT ?= swift
BIN := .build/release

.PHONY: deps build test demo bench clean

deps:
	@./scripts/install-deps.sh

# Tests run optimised (-c release with -enable-testing for @testable imports): the physics tests
# converge real host and impurity calculations, which are ~20× slower in a debug build. The
# executables are built with the same flags, so that `make demo` and `make test` share one build.
TESTFLAGS := -c release -Xswiftc -enable-testing

build: deps
	$(SWIFT) build $(TESTFLAGS)

test: deps
	$(SWIFT) build $(TESTFLAGS) --build-tests
	$(SWIFT) test $(TESTFLAGS) --skip-build

demo: build
	./scripts/demo.sh

bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

clean:
	rm -rf .build Benchmarks/.build
