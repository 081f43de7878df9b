# The two commands of the quick start are `make demo` and `make test`; both install what is
# missing, build, and are quick when nothing changed.
BUILD    ?= build
TYPE     ?= Release
JOBS     ?= 2
# Tests run TEST_JOBS at a time: most integration tests wait on processes, sockets and timers
# (a Slurm allocation's time limit, a Spot notice), not on the CPU, so 2 cores run 4 of them.
TEST_JOBS ?= 4
SANITIZE ?= OFF
# Sources compiled in batches (CMake unity build): a build from scratch takes ~40% of the CPU.
# UNITY=OFF compiles file by file, quicker while editing one file; both apply to a new $(BUILD).
UNITY    ?= ON
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60

# `make chaos`: how long the chaos test runs, job after job, and its seed (default: from the clock).
CHAOS_SECONDS ?= 3600
CHAOS_SEED    ?=

.PHONY: all setup build demo test bench chaos fuzz format format-check clean addon

all: build

setup:
	@scripts/setup.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(TYPE) -DSPOTFARM_SANITIZE=$(SANITIZE) \
		-DSPOTFARM_UNITY=$(UNITY)

build: setup $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)

test: build format-check
	@cd $(BUILD) && ctest --output-on-failure -j $(TEST_JOBS)

bench: build
	@bench/run.sh $(BUILD)

# Every libFuzzer target (fuzz/) for FUZZ_SECONDS each, in a Clang build of its own.
fuzz: setup
	@scripts/setup.sh scripts/debian-packages-fuzz.txt
	@test -f $(FUZZ_BUILD)/build.ninja || cmake -S . -B $(FUZZ_BUILD) -G Ninja \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
		-DSPOTFARM_FUZZ=ON -DSPOTFARM_TESTS=OFF
	@cmake --build $(FUZZ_BUILD) --target fuzz_targets -j $(JOBS)
	@scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The chaos test of `make test` for CHAOS_SECONDS: a new 100-frame job each time the last
# completes, under random kills of workers, Blender and the manager, each job's invariants checked.
chaos: setup $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS) --target spotfarm it_reliability test_scenes
	@SPOTFARM_CHAOS_SECONDS=$(CHAOS_SECONDS) SPOTFARM_CHAOS_SEED=$(or $(CHAOS_SEED),$$(date +%s)) \
		$(BUILD)/tests/it_reliability --gtest_filter='ChaosTest.*'

format: setup
	@find src tests bench fuzz -name '*.cpp' -o -name '*.h' | xargs clang-format-14 -i

format-check: setup
	@scripts/format-check.sh

clean:
	rm -rf $(BUILD)

# The Blender add-on as the zip Blender installs (Preferences > Add-ons > Install).
addon:
	@scripts/addon-zip.sh $(BUILD)/spotfarm-addon.zip
