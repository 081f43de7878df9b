# The two commands of the quick start are `make demo` and `make test`; both install what is
# missing, build, and are quick when nothing changed.
BUILD    ?= build
TYPE     ?= Release
JOBS     ?= 2
SANITIZE ?= OFF

.PHONY: all setup build demo test bench format format-check clean

all: build

setup:
	@scripts/setup.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(TYPE) -DSPOTFARM_SANITIZE=$(SANITIZE)

build: setup $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)

test: build format-check
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	@bench/run.sh $(BUILD)

format: setup
	@find src tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format-14 -i

format-check: setup
	@scripts/format-check.sh

clean:
	rm -rf $(BUILD)
