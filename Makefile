# kouprey - see README.md.  `make run` and `make test` are the two commands a
# new user needs; both install the Debian packages that are missing first.

SHELL := /bin/bash
CC ?= cc
PKGS := libmicrohttpd jansson libsodium libcrypto sqlite3 libzip libxml-2.0 xlsxwriter icu-uc icu-i18n pangocairo fontconfig
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_DEFAULT_SOURCE -D_GNU_SOURCE -DKOUPREY_SOURCE_DIR='"$(CURDIR)"' $(WARN) -Isrc $(PKG_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS_ALL = $(LDFLAGS) $(EXTRA_LDFLAGS)

# One build directory per flavour: `make` is the normal build, SAN=1 the one
# under AddressSanitizer and UndefinedBehaviorSanitizer, TSAN=1 the one under
# ThreadSanitizer (for the tests of the code that runs threads: unit-tsan).
ifeq ($(SAN),1)
BUILD := build/san
EXTRA_CFLAGS += -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
EXTRA_LDFLAGS += -fsanitize=address,undefined
else ifeq ($(TSAN),1)
BUILD := build/tsan
EXTRA_CFLAGS += -O1 -fno-omit-frame-pointer -fsanitize=thread
EXTRA_LDFLAGS += -fsanitize=thread
else
BUILD := build/release
endif

SRC := $(shell find src -name '*.c' | sort)
LIB_SRC := $(filter-out src/main.c,$(SRC))
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
GEN_OBJ := $(BUILD)/gen/migrations.o $(BUILD)/gen/openapi.o
# the country outlines of the maps (src/report/geo.h)
GEN_OBJ += $(BUILD)/gen/geo_countries.o
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_OBJ)
MAIN_OBJ := $(BUILD)/src/main.o
BIN := $(BUILD)/kouprey
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPFILES := $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BIN:=.d)

DB ?= var/kouprey.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all build run deps test unit unit-san unit-tsan api e2e fuzz lint bench clean format npm vendor pkgs

all: build
build: $(BIN)

-include $(DEPFILES)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/migrations.c: $(MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	scripts/embed-sql.sh $(MIGRATIONS) > $@

$(BUILD)/gen/openapi.c: docs/openapi.json scripts/embed-text.sh
	@mkdir -p $(dir $@)
	scripts/embed-text.sh api_openapi_json docs/openapi.json > $@

$(BUILD)/gen/geo_countries.c: data/geo/countries-110m.geojson scripts/embed-text.sh
	@mkdir -p $(dir $@)
	@scripts/embed-text.sh geo_countries_110m data/geo/countries-110m.geojson > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	@$(CC) $(ALL_CFLAGS) -Wno-missing-variable-declarations -c $< -o $@

$(BUILD)/libkouprey.a: $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(BUILD)/libkouprey.a
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)
	@if [ "$(SAN)" != 1 ]; then ln -sf release/kouprey build/kouprey; fi

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libkouprey.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -MMD -MP $(LDFLAGS_ALL) -o $@ $< $(BUILD)/libkouprey.a $(PKG_LIBS) -lcmocka

# ---- setup ---------------------------------------------------------------

deps:
	@scripts/install-deps.sh deps/debian-packages.txt

npm: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Browser libraries from npm (pinned in package-lock.json), copied where the
# web interface loads them: /assets/vendor/ (not in git).
VENDOR_DIR := web/assets/vendor
VENDOR_FILES := uplot/dist/uPlot.iife.min.js uplot/dist/uPlot.min.css \
	leaflet/dist/leaflet.js leaflet/dist/leaflet.css \
	cytoscape/dist/cytoscape.esm.min.mjs
vendor: $(VENDOR_DIR)/.stamp
$(VENDOR_DIR)/.stamp: node_modules/.package-lock.json
	@mkdir -p $(VENDOR_DIR)/images
	@for f in $(VENDOR_FILES); do cp node_modules/$$f $(VENDOR_DIR)/; done
	@cp node_modules/leaflet/dist/images/*.png $(VENDOR_DIR)/images/
	@touch $@

run: deps vendor
	@$(MAKE) --no-print-directory build
	@mkdir -p $(dir $(DB))
	@if [ ! -f "$(DB)" ]; then $(BIN) init --db "$(DB)"; fi
	$(BIN) serve --db "$(DB)" --listen "$(LISTEN)"

# ---- tests ---------------------------------------------------------------

test: deps
	@scripts/run-tests.sh

unit: $(UNIT_BIN)
	@scripts/run-unit.sh $(UNIT_BIN)

unit-san:
	@$(MAKE) --no-print-directory SAN=1 unit build

# The tests of the code that runs threads of its own, under ThreadSanitizer.
TSAN_TESTS := $(addprefix build/tsan/tests/,test_lib test_import test_import_parties test_pool test_analytics test_http_server)
unit-tsan:
	@$(MAKE) --no-print-directory TSAN=1 $(TSAN_TESTS)
	@scripts/run-unit.sh $(TSAN_TESTS)

api: build npm
	node --test tests/api/

e2e: build npm vendor
	node --test tests/e2e/

fuzz:
	@scripts/run-fuzz.sh

lint: deps
	@scripts/lint.sh

format:
	clang-format -i $(SRC) $(shell find src -name '*.h') $(UNIT_SRC)

bench: deps build npm vendor
	@bench/run.sh

# The pkg-config packages the C code links (scripts/lint.sh and run-fuzz.sh ask here).
pkgs:
	@echo $(PKGS)

clean:
	rm -rf build
