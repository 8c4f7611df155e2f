# orbnet: GNU Make build.  `make` builds the library and the command,
# `make check` runs the test suite (plain and under ASan+UBSan),
# `make run` runs the default scenario, `make bench` the benchmarks.

PREFIX ?= /usr/local
CC ?= cc
VERSION := 0.1.0

WARN := -std=c11 -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes \
        -Wmissing-prototypes
DEFS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DORBNET_VERSION=\"$(VERSION)\"
OPT ?= -O2 -g
CFLAGS_ALL = $(WARN) $(DEFS) $(OPT) -fopenmp -fPIC -Iinclude -Isrc -MMD -MP
LIBS := -linih -ljansson -lcurl -lm -fopenmp
TEST_LIBS := -lcriterion

# B is the build folder; the sanitizer build reuses these rules with B=build/asan
B ?= build
SAN ?=

LIB_SRC := $(wildcard src/*.c)
CLI_SRC := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/test_*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/embedded.o
CLI_OBJ := $(CLI_SRC:%.c=$(B)/%.o)
TESTS := $(TEST_SRC:tests/%.c=$(B)/tests/%)

.SECONDARY:
.PHONY: all deps check test run bench install clean fuzz
all: $(B)/orbnet $(B)/liborbnet.so

deps: build/.deps-build
build/.deps-%: scripts/install-deps.sh
	@mkdir -p build
	scripts/install-deps.sh $*
	@touch $@

$(B)/%.o: %.c | build/.deps-build
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(SAN) -c $< -o $@

# The report template and the world map are compiled into the library.
EMBED := orb__report_template=src/report_template.html \
         orb__world_topojson=data/maps/countries-50m.json
build/tools/embed: tools/embed.c | build/.deps-build
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $<
$(B)/gen/embedded.c: build/tools/embed src/report_template.html data/maps/countries-50m.json
	@mkdir -p $(dir $@)
	build/tools/embed $@ $(EMBED)
$(B)/gen/embedded.o: $(B)/gen/embedded.c
	$(CC) -O0 -fPIC -c $< -o $@

$(B)/liborbnet.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/liborbnet.so: $(LIB_OBJ)
	$(CC) -shared $(SAN) -o $@ $^ $(LIBS)

$(B)/orbnet: $(CLI_OBJ) $(B)/liborbnet.a
	$(CC) $(SAN) -o $@ $(CLI_OBJ) $(B)/liborbnet.a $(LIBS)

$(B)/tests/%: $(B)/tests/%.o $(B)/liborbnet.a
	$(CC) $(SAN) -o $@ $< $(B)/liborbnet.a $(LIBS) $(TEST_LIBS)

tests-built: $(TESTS) $(B)/orbnet

# The suite runs twice: optimised, then under AddressSanitizer and
# UndefinedBehaviorSanitizer (any report fails the run).
check: build/.deps-test
	$(MAKE) B=build tests-built
	$(MAKE) B=build/asan OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    tests-built
	scripts/run-tests.sh build build/asan

run: all
	scripts/run-default.sh

bench: build/.deps-bench all
	$(MAKE) B=build build/bench/sgp4_bench
	bench/run.sh

$(B)/bench/%: bench/%.c $(B)/liborbnet.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(B)/liborbnet.a $(LIBS)

install: all $(B)/liborbnet.a
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/include/orbnet
	install -m 755 $(B)/orbnet $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(B)/liborbnet.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(B)/liborbnet.so $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/orbnet.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 include/orbnet/*.h $(DESTDIR)$(PREFIX)/include/orbnet/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' orbnet.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/orbnet.pc

# Each libFuzzer harness in fuzz/ for FUZZ_SECONDS (clang, ASan + UBSan).
FUZZ_SECONDS ?= 60
fuzz: build/.deps-test all
	scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TESTS:=.d)
