# kyodo — plain Makefile.  `make` builds build/kyodo; see README for the rest.
#
# Variants share these rules through BUILD and VARIANT_CFLAGS:
#   make                       -> build/        (-O2)
#   make BUILD=build/san SAN=1 -> ASan + UBSan
BUILD ?= build
CC ?= cc
PKGS := libmicrohttpd sqlite3 libsodium jansson libcmark libutf8proc libmagic vips xlsxwriter libcurl libical libqrencode
TEST_PKGS := cmocka libcurl

# pkg-config is asked when a recipe first needs its flags (once), not when
# this file is read: `make run`, `make test` and `make bench` install the
# packages (scripts/deps) before they build in a sub-make, and `make clean`
# and `make deps` never ask.  A package that pkg-config cannot find stops the
# build, naming it, instead of compiling without its flags (.SHELLSTATUS:
# GNU make 4.2 or later).
pkg_missing = $(if $(shell command -v pkg-config),pkg-config cannot find $(shell \
	for p in $1; do pkg-config --exists $$p || echo $$p; done),pkg-config is not installed)
pkg_config = $(strip $(eval pkg_out := $(shell pkg-config $1 $2 2>/dev/null))$(if $(filter 0,$(.SHELLSTATUS)),$(pkg_out),\
	$(error $(call pkg_missing,$2): install the Debian packages with `make deps` \
	(scripts/deps; scripts/deps --test for the tests), or use `make run` / `make test`, which do)))
define pkg_flags # VARIABLE, --cflags or --libs, packages
$1 = $$(eval $1 := $$(call pkg_config,$2,$3))$$($1)
endef
$(eval $(call pkg_flags,PKG_CFLAGS,--cflags,$(PKGS)))
$(eval $(call pkg_flags,PKG_LIBS,--libs,$(PKGS)))
$(eval $(call pkg_flags,TEST_PKG_CFLAGS,--cflags,$(TEST_PKGS)))
$(eval $(call pkg_flags,TEST_PKG_LIBS,--libs,$(TEST_PKGS)))

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS_BASE = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -Isrc -I$(BUILD) $(PKG_CFLAGS)
ifdef SAN
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
else
OPT := -O2 -g
endif
CFLAGS = $(CFLAGS_BASE) $(OPT) $(EXTRA_CFLAGS)
LDLIBS = $(PKG_LIBS) -lpthread -lm
TEST_CFLAGS = $(TEST_PKG_CFLAGS)
TEST_LDLIBS = $(TEST_PKG_LIBS)

# Every module under src/<area>/ is part of the library; src/main.c is the entry.
LIB_SRC := $(sort $(wildcard src/*/*.c))
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/embed.o
TEMPLATES := $(sort $(shell find templates -type f -name '*.html' 2>/dev/null))
STATIC := $(sort $(shell find static -type f 2>/dev/null))
SQL := $(sort $(wildcard sql/*.sql))
MESSAGES := $(sort $(wildcard messages/*.msg))

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
HTTP_SRC := $(sort $(wildcard tests/http/t*.c))
HTTP_BIN := $(patsubst tests/http/%.c,$(BUILD)/tests/http_%,$(HTTP_SRC))

.PHONY: all run test unit httptest fuzz bench clean deps format
all: $(BUILD)/kyodo

$(BUILD)/kyodo: $(BUILD)/obj/main.o $(BUILD)/libkyodo.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libkyodo.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

# The test binary: the same program, with accounts/auth.c compiled again
# with KYODO_TEST_HOOKS (KYODO_TEST_FAST_HASH=1 then makes Argon2 cheap).
# Its object comes before the library, so the library's auth.o is never
# linked; build/kyodo itself contains no such switch.
$(BUILD)/kyodo-test: $(BUILD)/obj/main.o $(BUILD)/obj/test-hooks/auth.o $(BUILD)/libkyodo.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/test-hooks/auth.o: src/accounts/auth.c | $(BUILD)/stmts.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DKYODO_TEST_HOOKS -MMD -MP -c -o $@ $<

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/stmts.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj/embed.o: $(BUILD)/embed.c
	$(CC) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/embed.c: $(BUILD)/tools/embed $(TEMPLATES) $(STATIC) $(SQL) $(MESSAGES)
	{ $(BUILD)/tools/embed embed_templates templates $(TEMPLATES); \
	  $(BUILD)/tools/embed embed_static static $(STATIC) | tail -n +2; \
	  $(BUILD)/tools/embed embed_sql sql $(SQL) | tail -n +2; \
	  $(BUILD)/tools/embed embed_messages messages $(MESSAGES) | tail -n +2; } > $@.tmp && mv $@.tmp $@

# Every feature's statements (src/<feature>/<feature>.stmts), gathered into
# one header for store/stmt.h.  Rewritten only when the list of files
# changes; each .stmts file itself is a dependency through -MMD.
STMTS := $(sort $(wildcard src/*/*.stmts))
$(BUILD)/stmts.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#include "%s"\n' $(patsubst src/%,%,$(STMTS)) > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
FORCE:

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

# Unit tests may #include the .c they test, so they link the library too.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libkyodo.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/libkyodo.a $(LDLIBS) $(TEST_LDLIBS)

$(BUILD)/tests/http_%: tests/http/%.c tests/http/harness.c tests/http/harness.h $(BUILD)/libkyodo.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) -Itests/http -Wno-missing-prototypes -o $@ $< tests/http/harness.c $(BUILD)/libkyodo.a $(LDLIBS) $(TEST_LDLIBS)

deps:
	scripts/deps

# Packages first, then the build in a sub-make, which asks pkg-config only
# now that they are there (on a fresh machine they were not when this make
# started).  make passes BUILD, SAN and -j on to the sub-make.
run: deps
	$(MAKE) $(BUILD)/kyodo
	scripts/run

# The whole suite: unit, HTTP, fuzz (briefly), sanitizers, browser.
# scripts/test runs scripts/deps --test, then its own makes.
test:
	scripts/test

unit: $(UNIT_BIN)
httptest: $(BUILD)/kyodo $(BUILD)/kyodo-test $(HTTP_BIN)

fuzz:
	scripts/fuzz 60

bench:
	scripts/deps --bench
	$(MAKE) $(BUILD)/kyodo
	bench/run

format:
	clang-format -i $$(find src tests tools -name '*.[ch]')

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
