# SPDX-License-Identifier: GPL-2.0
#
# ward - build, test and demo.
#
#   make            build build/ward (BPF object embedded as a skeleton)
#   make check      unit tests on the host, then the selftests in the VM
#                   on Debian's 6.12 and 6.1 kernels
#   make run        a short demonstration of ward in the VM
#   make bench      ward's cost per system call on each kernel, against the
#                   kernel without ward, the floor and Landlock, judged
#                   against issue 13's targets: build/bench/results.md
#   make modules    the test kernel modules (Kbuild), KVER=<kernel release>
#   make deb        build/deb/ward_$(VERSION)_amd64.deb, as Debian would ship
#                   ward (debian/), with its .buildinfo and .changes
#   make dist       build/dist/ward-$(VERSION).tar.gz of HEAD, its manifest
#                   and, with DIST_KEY and DIST_CERT, the manifest's signature
#   make clean      remove build/

# The release: "ward version" prints it, "make dist" names the tarball so.
VERSION := 0.1.0

BUILD ?= build
override BUILD := $(abspath $(BUILD))

VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
CLANG ?= clang
BPFTOOL ?= bpftool
# The architecture the programs read registers of (bpf_tracing.h), as the
# kernel names it: x86, arm64, ...
BPF_ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' \
	-e 's/ppc64le/powerpc/' -e 's/riscv64/riscv/' -e 's/s390x/s390/' \
	-e 's/loongarch64/loongarch/')
CC ?= gcc
CFLAGS ?= -O2 -g
PREFIX ?= /usr
DESTDIR ?=
# Where libpam looks for modules, whatever PREFIX: Debian's multiarch
# directory, as its PAM says.
PAM_MODULE_DIR ?= $(shell pkg-config --variable=libdir pam 2>/dev/null || \
	echo /usr/lib)/security

# Kernels the VM tests boot: Debian's 6.12 cloud kernel, then its 6.1.
VM_KERNELS ?= 6.12 6.1
KVER ?= $(notdir $(lastword $(sort $(wildcard /lib/modules/6.12*-cloud-amd64))))

WARD_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I$(BUILD) -Imodule -Iuserspace
WARD_LIBS := -lbpf -lelf -lz -ljson-c -lcrypto -lsystemd -laudit -larchive

BPF_SRCS := $(wildcard module/*.bpf.c)
BPF_OBJS := $(patsubst module/%.bpf.c,$(BUILD)/module/%.bpf.o,$(BPF_SRCS))
BPF_HDRS := $(wildcard module/*.h)

USER_SRCS := $(filter-out userspace/main.c,$(wildcard userspace/*.c))
USER_OBJS := $(patsubst userspace/%.c,$(BUILD)/obj/%.o,$(USER_SRCS))

UNIT_SRCS := $(wildcard userspace/tests/*_test.c)
UNIT_BINS := $(patsubst userspace/tests/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))
# Unit tests in shell (TAP), of the ward binary and the scripts.
UNIT_SCRIPTS := $(wildcard userspace/tests/*_test.sh)
UNIT_BINS += $(patsubst userspace/tests/%.sh,$(BUILD)/unit/%,$(UNIT_SCRIPTS))

KSFT_DIR := $(BUILD)/ksft

Q := $(if $(V),,@)

.PHONY: all clean check unit run bench deps modules selftests install dist \
	programs deb
.DELETE_ON_ERROR:

all: $(BUILD)/ward $(BUILD)/ward.8 $(BUILD)/ward.conf.5 \
	$(BUILD)/ward-policy.5 $(BUILD)/pam_ward.so $(BUILD)/pam_ward.8 selftests

deps:
	$(Q)scripts/install-deps

$(BUILD) $(BUILD)/module $(BUILD)/obj $(BUILD)/unit:
	$(Q)mkdir -p $@

# vmlinux.h comes from the kernel's BTF at build time; CO-RE relocates the
# programs to whatever kernel loads them.
$(BUILD)/vmlinux.h: | $(BUILD)
	@echo "  GEN     $@"
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@

$(BUILD)/module/%.bpf.o: module/%.bpf.c $(BPF_HDRS) $(BUILD)/vmlinux.h | $(BUILD)/module
	@echo "  BPF     $@"
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -mcpu=v3 \
		-Wall -Wextra -Werror -Wno-unused-parameter \
		-I$(BUILD) -Imodule -c $< -o $@

$(BUILD)/ward.bpf.o: $(BPF_OBJS)
	@echo "  LINK    $@"
	$(Q)$(BPFTOOL) gen object $@ $^

$(BUILD)/ward.skel.h: $(BUILD)/ward.bpf.o
	@echo "  SKEL    $@"
	$(Q)$(BPFTOOL) gen skeleton $< name ward > $@

$(BUILD)/obj/%.o: userspace/%.c $(BUILD)/ward.skel.h | $(BUILD)/obj
	@echo "  CC      $@"
	$(Q)$(CC) $(WARD_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/main.o: WARD_CFLAGS += -DWARD_VERSION='"$(VERSION)"'
$(BUILD)/obj/main.o: Makefile

$(BUILD)/ward: $(BUILD)/obj/main.o $(USER_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(WARD_LIBS)

$(BUILD)/%.8: Documentation/%.8.rst | $(BUILD)
	@echo "  MAN     $@"
	$(Q)rst2man --halt=warning $< > $@

$(BUILD)/%.5: Documentation/%.5.rst | $(BUILD)
	@echo "  MAN     $@"
	$(Q)rst2man --halt=warning $< > $@

# The PAM module sends login messages to ward's log daemon (login.c).
$(BUILD)/pam_ward.so: userspace/pam/pam_ward.c userspace/login_msg.h | $(BUILD)
	@echo "  CC      $@"
	$(Q)$(CC) $(WARD_CFLAGS) $(CFLAGS) -fPIC -shared -Wl,-z,defs \
		-o $@ $< -lpam

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/unit/*.d)

# The kselftest harness comes from Debian's kernel source, not our tree.
$(KSFT_DIR)/kselftest_harness.h:
	$(Q)scripts/fetch-kselftest $(KSFT_DIR)

# Unit tests take from an archive only the objects they need: some of the
# others (log.o) call into main.o, which has main().
$(BUILD)/libward.a: $(USER_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# The harness itself is not clean under -Wunused-parameter, nor (its
# setjmp() around fork()) under -Wclobbered.  WARD_SRCDIR is where the
# tests find the tree's files (hooks_test reads Documentation/hooks.rst);
# UNIT_FLAGS and UNIT_LIBS are what one test needs more.
$(BUILD)/unit/%: userspace/tests/%.c $(BUILD)/libward.a $(KSFT_DIR)/kselftest_harness.h | $(BUILD)/unit
	@echo "  CC      $@"
	$(Q)$(CC) $(WARD_CFLAGS) -Wno-unused-parameter -Wno-clobbered \
		-I$(KSFT_DIR) -DWARD_SRCDIR='"$(CURDIR)"' $(UNIT_FLAGS) \
		$(CFLAGS) -MMD -MP -o $@ $< \
		$(BUILD)/libward.a $(WARD_LIBS) $(UNIT_LIBS)

# A shell test finds the tree's scripts and the ward it tests.
$(BUILD)/unit/%_test: userspace/tests/%_test.sh $(BUILD)/ward | $(BUILD)/unit
	@echo "  GEN     $@"
	$(Q)sed -e 's|@WARD_SRCDIR@|$(CURDIR)|g' -e 's|@WARD@|$(BUILD)/ward|g' \
		$< > $@ && chmod +x $@

# login_test drives pam_ward.so through libpam.
$(BUILD)/unit/login_test: $(BUILD)/pam_ward.so
$(BUILD)/unit/login_test: UNIT_FLAGS := -DWARD_PAM_MODULE='"$(BUILD)/pam_ward.so"'
$(BUILD)/unit/login_test: UNIT_LIBS := -lpam

selftests: $(BUILD)/ward $(KSFT_DIR)/kselftest_harness.h
	$(Q)$(MAKE) -s -C selftests OUTPUT=$(BUILD)/selftests KSFT_DIR=$(KSFT_DIR)

modules:
	$(Q)scripts/build-modules $(KVER) $(BUILD)/kmod

unit: $(UNIT_BINS)
	$(Q)for t in $(UNIT_BINS); do $$t || exit; done

# logstore_bench is built, not run: make bench runs it.
check: deps
	$(Q)$(MAKE) -s all $(UNIT_BINS) $(BUILD)/unit/logstore_bench
	$(Q)scripts/check $(VM_KERNELS)

run: deps
	$(Q)$(MAKE) -s all
	$(Q)scripts/vmtest -- scripts/demo

# One boot per kernel under the instruction-count clock (scripts/bench,
# selftests/bench.c).  BENCH_RULES: ward's policies by their file rules,
# comma-separated; the first is the one the targets on stat, exec,
# connect and mmap and Landlock's big ruleset take.
# The log store's rate is measured on the host (logstore_bench); the
# storm of BENCH_STORM denials in a guest of its own (0: not run).
# BENCH_SCALE_RULES: policies of these file rules loaded, each in a guest
# of its own on each kernel (selftests/scale_test; 0: not run).
BENCH_RULES ?= 10000,100000,100
BENCH_ROUNDS ?= 3
BENCH_SCALE ?= 1
BENCH_STORM ?= 1000000
BENCH_SCALE_RULES ?= 100000,1000000
# Policies of these file rules compiled on the host (empty: not run).
BENCH_COMPILE ?= 100000,1000000
bench: deps
	$(Q)$(MAKE) -s all $(BUILD)/unit/logstore_bench
	$(Q)scripts/bench --kernels "$(VM_KERNELS)" --rules $(BENCH_RULES) \
		--rounds $(BENCH_ROUNDS) --scale $(BENCH_SCALE) \
		--logstore $(BUILD)/unit/logstore_bench --storm $(BENCH_STORM) \
		--scale-rules "$(BENCH_SCALE_RULES)" \
		--compile "$(BENCH_COMPILE)" --ward $(BUILD)/ward --out $(BUILD)/bench

# What "make install" installs, built without the selftests (debian/rules).
programs: $(BUILD)/ward $(BUILD)/ward.8 $(BUILD)/ward.conf.5 \
		$(BUILD)/ward-policy.5 $(BUILD)/pam_ward.so $(BUILD)/pam_ward.8

install: programs
	install -D -m 0755 $(BUILD)/ward $(DESTDIR)$(PREFIX)/sbin/ward
	install -D -m 0644 $(BUILD)/ward.8 $(DESTDIR)$(PREFIX)/share/man/man8/ward.8
	install -D -m 0644 $(BUILD)/ward.conf.5 \
		$(DESTDIR)$(PREFIX)/share/man/man5/ward.conf.5
	install -D -m 0644 $(BUILD)/ward-policy.5 \
		$(DESTDIR)$(PREFIX)/share/man/man5/ward-policy.5
	install -D -m 0644 completion/ward.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/ward
	install -D -m 0644 $(BUILD)/pam_ward.so \
		$(DESTDIR)$(PAM_MODULE_DIR)/pam_ward.so
	install -D -m 0644 $(BUILD)/pam_ward.8 \
		$(DESTDIR)$(PREFIX)/share/man/man8/pam_ward.8
	install -D -m 0644 userspace/pam/pam-configs/ward \
		$(DESTDIR)$(PREFIX)/share/pam-configs/ward
	install -d $(DESTDIR)$(PREFIX)/lib/ward/policy.d
	install -m 0644 policy/*.policy $(DESTDIR)$(PREFIX)/lib/ward/policy.d/
	install -d -m 0755 $(DESTDIR)/etc/ward/policy.d
	install -d -m 0750 $(DESTDIR)/var/lib/ward $(DESTDIR)/var/log/ward
	install -d -m 0700 $(DESTDIR)/var/lib/ward/log
	install -d -m 0755 $(DESTDIR)/var/lib/ward/policy
	install -D -m 0644 systemd/ward.service \
		$(DESTDIR)$(PREFIX)/lib/systemd/system/ward.service
	install -D -m 0644 systemd/ward-logd.service \
		$(DESTDIR)$(PREFIX)/lib/systemd/system/ward-logd.service

clean:
	rm -rf $(BUILD)

# The Debian package, built by dpkg-buildpackage from this tree (debian/);
# its files in $(DEB_DIR), not in the tree's parent directory, which other
# trees share.  debian/changelog names the same version as VERSION.
DEB_DIR := $(BUILD)/deb
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEB_NAME := ward_$(VERSION)_$(DEB_ARCH)

deb: deps
	$(Q)v=$$(dpkg-parsechangelog -S Version) && [ "$$v" = "$(VERSION)" ] || \
		{ echo "deb: debian/changelog says $$v, the Makefile $(VERSION): add a changelog entry (dch -v $(VERSION))" >&2; exit 1; }
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)
	@echo "  DEB     $(DEB_DIR)/$(DEB_NAME).deb"
	$(Q)WARD_DEB_DIR=$(DEB_DIR) dpkg-buildpackage -b -us -uc \
		--buildinfo-option=-u$(DEB_DIR) --changes-option=-u$(DEB_DIR) \
		--buildinfo-file=$(DEB_DIR)/$(DEB_NAME).buildinfo \
		--changes-file=$(DEB_DIR)/$(DEB_NAME).changes \
		>$(DEB_DIR)/build.log 2>&1 || \
		{ tail -n 30 $(DEB_DIR)/build.log >&2; \
		  echo "deb: dpkg-buildpackage failed: see $(DEB_DIR)/build.log" >&2; exit 1; }

# The source release (GB/T 39276 5.2.2.2 e, 5.2.2.3 k): git archive of
# HEAD, its manifest of SHA-256 and SM3 digests (scripts/mkmanifest), and
# the manifest's detached signature when DIST_KEY and DIST_CERT name the
# signer (DIST_CHAIN: intermediate CAs); "ward verify-package" checks them.
DIST_DIR := $(BUILD)/dist
DIST_NAME := ward-$(VERSION)

dist: $(if $(DIST_KEY),$(BUILD)/ward)
	$(Q)git diff --quiet HEAD -- || \
		echo "dist: uncommitted changes are left out: the tarball is HEAD's" >&2
	$(Q)rm -rf $(DIST_DIR) && mkdir -p $(DIST_DIR)
	@echo "  DIST    $(DIST_DIR)/$(DIST_NAME).tar.gz"
	$(Q)git archive --format=tar.gz --prefix=$(DIST_NAME)/ \
		-o $(DIST_DIR)/$(DIST_NAME).tar.gz HEAD
	$(Q)scripts/mkmanifest $(if $(DIST_KEY),--ward $(BUILD)/ward \
		--key $(DIST_KEY) --cert $(DIST_CERT) \
		$(if $(DIST_CHAIN),--chain $(DIST_CHAIN))) \
		$(DIST_DIR)/$(DIST_NAME).manifest $(DIST_DIR)/$(DIST_NAME).tar.gz

# The policy parser under libFuzzer, with ASan and UBSan: "make fuzz" runs
# it for FUZZ_SECONDS, "make fuzz-check" for 20 s and prints one TAP line.
# The corpus in $(BUILD)/fuzz/corpus starts from the shipped policies and
# the seeds and keeps what runs find; crashes go to $(BUILD)/fuzz/artifacts.
# The same for the policy signatures' checker (sign_fuzz, "make fuzz-sign";
# fuzz-check runs it 10 s): its corpus, $(BUILD)/fuzz/sign-corpus, starts
# from good signatures by the CAs of userspace/tests/fuzz/sign-keys.
FUZZ_SECONDS ?= 600
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SRCS := userspace/tests/fuzz/policy_fuzz.c userspace/policy_parse.c \
	userspace/policy_lex.c userspace/policy_lint.c userspace/policy_names.c \
	userspace/policy_print.c userspace/policy_kernel.c userspace/htab.c userspace/xalloc.c \
	userspace/diag.c
FUZZ_OPTS := -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix=$(FUZZ_DIR)/artifacts/

.PHONY: fuzz fuzz-check fuzz-corpus fuzz-sign

$(FUZZ_DIR)/policy_fuzz: $(FUZZ_SRCS) $(wildcard userspace/*.h) \
		module/ward_abi.h
	@echo "  FUZZ    $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -std=gnu11 -Wall -Wextra \
		-Werror -D_GNU_SOURCE -Imodule -Iuserspace -o $@ $(FUZZ_SRCS) \
		-ljson-c -lcrypto

$(FUZZ_DIR)/sign_fuzz: userspace/tests/fuzz/sign_fuzz.c userspace/sign.c \
		userspace/sign.h
	@echo "  FUZZ    $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -std=gnu11 -Wall -Wextra \
		-Werror -D_GNU_SOURCE -Iuserspace \
		-DSIGN_FUZZ_KEYS='"$(CURDIR)/userspace/tests/fuzz/sign-keys"' \
		-o $@ userspace/tests/fuzz/sign_fuzz.c userspace/sign.c -lcrypto

fuzz-corpus:
	$(Q)mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/sign-corpus \
		$(FUZZ_DIR)/artifacts
	$(Q)cp policy/*.policy userspace/tests/fuzz/seeds/*.policy \
		$(FUZZ_DIR)/corpus/
	$(Q)cp userspace/tests/fuzz/sign-seeds/* $(FUZZ_DIR)/sign-corpus/

fuzz: $(FUZZ_DIR)/policy_fuzz fuzz-corpus
	$(Q)$(FUZZ_DIR)/policy_fuzz $(FUZZ_OPTS) \
		-max_total_time=$(FUZZ_SECONDS) $(FUZZ_DIR)/corpus

fuzz-sign: $(FUZZ_DIR)/sign_fuzz fuzz-corpus
	$(Q)$(FUZZ_DIR)/sign_fuzz $(FUZZ_OPTS) \
		-max_total_time=$(FUZZ_SECONDS) $(FUZZ_DIR)/sign-corpus

# One TAP line per target: NAME, its corpus, what it is, seconds.
FUZZ_CHECKS := policy_fuzz:corpus:policy-parser:20 \
	sign_fuzz:sign-corpus:policy-signature-checker:10

fuzz-check:
	@mkdir -p $(FUZZ_DIR); log=$(FUZZ_DIR)/fuzz-check.log; \
	if ! $(MAKE) --no-print-directory $(FUZZ_DIR)/policy_fuzz \
			$(FUZZ_DIR)/sign_fuzz fuzz-corpus >$$log 2>&1; then \
		echo "not ok - fuzz targets did not build: $$log"; \
		exit 1; \
	fi; \
	status=0; \
	for check in $(FUZZ_CHECKS); do \
		set -- $$(echo $$check | tr : ' '); \
		target=$$1 corpus=$$2 secs=$$4 what=$$(echo $$3 | tr - ' '); \
		if $(FUZZ_DIR)/$$target $(FUZZ_OPTS) -max_total_time=$$secs \
				$(FUZZ_DIR)/$$corpus >>$$log 2>&1; then \
			echo "ok - $$what fuzzed $$secs s, no crash"; \
		else \
			artifact=$$(sed -n 's/.*Test unit written to //p' \
				$$log | tail -n 1); \
			echo "not ok - $$what fuzzing found a crash:" \
				"$${artifact:-(none written, see $$log)}"; \
			status=1; \
		fi; \
	done; \
	exit $$status
