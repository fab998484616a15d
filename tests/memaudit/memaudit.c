/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memaudit: a QEMU (TCG, system mode) plugin that records every guest
 * load and store made by an instruction of pvh.bin, so that
 * tests/test_memory_map.py can check docs/memory-map.md against what the
 * ROM really reads and writes.
 *
 * An instruction counts as the ROM's when its linear address lies in one of
 * the ROM's copies AND its bytes equal the ROM file's bytes at that offset:
 *   - the RAM copy at run=ADDR (default 0x8000), and
 *   - a copy in the option ROM area [0xc0000, 0xe0000): its base is not
 *     known in advance, so a translation block there whose bytes equal the
 *     file at (pc - b) for a 512-byte aligned b makes b a confirmed base,
 *     if it starts at the init vector (offset 3, where the BIOS enters the
 *     ROM first) or holds at least MIN_MATCH bytes; later blocks need only
 *     match at a confirmed base.  VGA BIOS / iPXE code in the same area
 *     never matches.
 * BIOS code the ROM calls (INT 10h/15h) runs elsewhere and is not recorded.
 * QEMU 7.2 may run a memory callback of an instruction for accesses made
 * after it (BIOS code that follows without a fresh translation, interrupt
 * delivery): an access counts only if the instruction last executed on its
 * vCPU is the callback's own (an execution callback on every instruction
 * keeps track); the others are counted as stale.
 *
 * Arguments: rom=FILE (pvh.bin, required), out=FILE (default stderr),
 *            run=ADDR, rom_area=START-END.
 * Output (one line per instruction, kind and range, at exit):
 *   W pc=0x... base=0x... start=0x... end=0x... n=N sizes=MASK alias=0x...
 * W for stores, R for loads.  base: the copy the pc belongs to (0x8000: the
 * RAM copy); [start, end): the physical bytes accessed (adjacent or
 * overlapping accesses merged); n: number of accesses; sizes: bit k set if
 * a 2^k-byte access occurred; alias: linear minus physical address
 * (nonzero e.g. when A20 is off).
 */
#include <dlfcn.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_api.h"

/*
 * The plugin API version this plugin asks for.  QEMU 7.2 (Debian 12's)
 * offers version 1 alone; QEMU 9.0 made 2 the minimum, where
 * qemu_plugin_insn_data() copies the bytes into a buffer instead of
 * returning a pointer to them (nothing else this plugin uses changed), and
 * added qemu_plugin_get_registers() in the same release.  QEMU reads this
 * variable after dlopen() has run the constructor below, which tells the
 * two apart by that function, so that one build loads into either.
 */
PLUGIN_EXPORT int qemu_plugin_version = 1;

__attribute__((constructor)) static void pick_api_version(void)
{
	if (dlsym(RTLD_DEFAULT, "qemu_plugin_get_registers"))
		qemu_plugin_version = 2;
}

/* An instruction's bytes, in buf (version 2) or where QEMU keeps them. */
typedef size_t (*insn_data_copy_fn)(const struct qemu_plugin_insn *, void *, size_t);
static const void *insn_bytes(const struct qemu_plugin_insn *insn, void *buf, size_t len)
{
	if (qemu_plugin_version >= 2) {
		insn_data_copy_fn copy = (insn_data_copy_fn)(void (*)(void))qemu_plugin_insn_data;
		return copy(insn, buf, len) == len ? buf : NULL;
	}
	return qemu_plugin_insn_data(insn);
}

#define MIN_MATCH 12
#define INIT_VECTOR 3		/* option ROM header: the init entry's jump */
#define MAX_BASES 16
#define MAX_VCPUS 64

struct ival { uint64_t start, end; };

struct site {				/* one instruction of the ROM */
	uint64_t pc, base;
	struct site *next;		/* hash chain */
	struct site *all_next;		/* list of all sites */
	/* per alias (linear - physical) value: a set of intervals */
	struct aliasrec {
		uint64_t alias;
		bool store;
		struct ival *iv;
		size_t n, cap, last;
		uint64_t count;
		unsigned sizes;
		struct aliasrec *next;
	} *recs;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char *rom;
static size_t rom_len;
static uint64_t run_addr = 0x8000, area_lo = 0xc0000, area_hi = 0xe0000;
static uint64_t bases[MAX_BASES];
static int n_bases;
static FILE *out;
static const char *out_path;
#define HASH 4096
static struct site *table[HASH], *all_sites;
static uint64_t mismatched;	/* instructions at a confirmed base unlike the file */
static uint64_t stale;		/* accesses made after the instruction (see above) */
static uint64_t last_pc[MAX_VCPUS];	/* the instruction each vCPU executed last */

static void on_exec(unsigned int vcpu, void *udata)
{
	last_pc[vcpu % MAX_VCPUS] = (uintptr_t)udata;
}

static struct site *site_get(uint64_t pc, uint64_t base)
{
	unsigned h = (unsigned)(pc * 2654435761u) % HASH;
	struct site *s;

	for (s = table[h]; s; s = s->next)
		if (s->pc == pc && s->base == base)
			return s;
	s = calloc(1, sizeof(*s));
	s->pc = pc;
	s->base = base;
	s->next = table[h];
	table[h] = s;
	s->all_next = all_sites;
	all_sites = s;
	return s;
}

static void ival_add(struct aliasrec *r, uint64_t a, uint64_t e)
{
	size_t i;

	if (r->n) {
		struct ival *l = &r->iv[r->last];
		if (a <= l->end && e >= l->start) {
			if (a < l->start) l->start = a;
			if (e > l->end) l->end = e;
			return;
		}
		for (i = 0; i < r->n; i++) {
			struct ival *v = &r->iv[i];
			if (a <= v->end && e >= v->start) {
				if (a < v->start) v->start = a;
				if (e > v->end) v->end = e;
				r->last = i;
				return;
			}
		}
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 4;
		r->iv = realloc(r->iv, r->cap * sizeof(*r->iv));
	}
	r->iv[r->n].start = a;
	r->iv[r->n].end = e;
	r->last = r->n++;
}

static void on_access(unsigned int vcpu, qemu_plugin_meminfo_t info,
		      uint64_t vaddr, void *udata)
{
	struct site *s = udata;
	struct qemu_plugin_hwaddr *hw;
	uint64_t phys = vaddr, alias;
	unsigned shift;
	struct aliasrec *r;

	bool store = qemu_plugin_mem_is_store(info);

	if (last_pc[vcpu % MAX_VCPUS] != s->pc) {
		pthread_mutex_lock(&lock);
		stale++;
		pthread_mutex_unlock(&lock);
		return;
	}
	shift = qemu_plugin_mem_size_shift(info);
	hw = qemu_plugin_get_hwaddr(info, vaddr);
	if (hw)
		phys = qemu_plugin_hwaddr_phys_addr(hw);
	alias = vaddr - phys;
	pthread_mutex_lock(&lock);
	for (r = s->recs; r && (r->alias != alias || r->store != store); r = r->next)
		;
	if (!r) {
		r = calloc(1, sizeof(*r));
		r->alias = alias;
		r->store = store;
		r->next = s->recs;
		s->recs = r;
	}
	r->count++;
	r->sizes |= 1u << shift;
	ival_add(r, phys, phys + (1u << shift));
	pthread_mutex_unlock(&lock);
}

/* Are the instruction's bytes the ROM file's at pc - base? */
static int insn_matches(struct qemu_plugin_insn *insn, uint64_t base)
{
	uint64_t pc = qemu_plugin_insn_vaddr(insn);
	size_t len = qemu_plugin_insn_size(insn);
	unsigned char buf[16]; /* x86 instructions take at most 15 bytes */
	const void *bytes;

	if (pc < base || pc - base + len > rom_len || len > sizeof(buf))
		return 0;
	bytes = insn_bytes(insn, buf, len);
	return bytes && memcmp(bytes, rom + (pc - base), len) == 0;
}

static int tb_matches(const struct qemu_plugin_tb *tb, size_t n, uint64_t base,
		      size_t *bytes)
{
	size_t i;

	*bytes = 0;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		if (!insn_matches(insn, base))
			return 0;
		*bytes += qemu_plugin_insn_size(insn);
	}
	return 1;
}

static int base_known(uint64_t b)
{
	for (int i = 0; i < n_bases; i++)
		if (bases[i] == b)
			return 1;
	return 0;
}

static void on_tb(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i, bytes;
	uint64_t pc0, base = 0;
	int found = 0;

	(void)id;
	if (!n)
		return;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		qemu_plugin_register_vcpu_insn_exec_cb(insn, on_exec, QEMU_PLUGIN_CB_NO_REGS,
						       (void *)(uintptr_t)qemu_plugin_insn_vaddr(insn));
	}
	pc0 = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, 0));
	if (pc0 >= run_addr && pc0 < run_addr + rom_len) {
		base = run_addr;
		found = 1;	/* checked per instruction below */
	} else if (pc0 >= area_lo && pc0 < area_hi) {
		uint64_t b;
		pthread_mutex_lock(&lock);
		/* confirmed bases first, then new candidates */
		for (i = 0; i < (size_t)n_bases && !found; i++) {
			if (pc0 >= bases[i] && pc0 < bases[i] + rom_len) {
				found = 1;
				base = bases[i];
			}
		}
		for (b = (pc0 - area_lo) / 512 * 512 + area_lo;
		     !found && b + rom_len > pc0 && b >= area_lo; b -= 512) {
			if (base_known(b))
				continue;
			if (tb_matches(tb, n, b, &bytes) &&
			    (bytes >= MIN_MATCH || pc0 - b == INIT_VECTOR) &&
			    n_bases < MAX_BASES) {
				bases[n_bases++] = b;
				found = 1;
				base = b;
				fprintf(stderr, "memaudit: ROM copy found at 0x%" PRIx64
					" (block at 0x%" PRIx64 ")\n", b, pc0);
			}
		}
		pthread_mutex_unlock(&lock);
	}
	if (!found)
		return;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		struct site *s;

		if (!insn_matches(insn, base)) {
			pthread_mutex_lock(&lock);
			mismatched++;
			pthread_mutex_unlock(&lock);
			continue;
		}
		pthread_mutex_lock(&lock);
		s = site_get(qemu_plugin_insn_vaddr(insn), base);
		pthread_mutex_unlock(&lock);
		qemu_plugin_register_vcpu_mem_cb(insn, on_access, QEMU_PLUGIN_CB_NO_REGS,
						 QEMU_PLUGIN_MEM_RW, s);
	}
}

static int cmp_ival(const void *a, const void *b)
{
	const struct ival *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void at_exit_dump(qemu_plugin_id_t id, void *udata)
{
	struct site *s;
	struct aliasrec *r;
	FILE *f = out;

	(void)id;
	(void)udata;
	pthread_mutex_lock(&lock);
	if (!f && out_path)
		f = fopen(out_path, "w");
	if (!f)
		f = stderr;
	fprintf(f, "# memaudit rom_len=0x%zx run=0x%" PRIx64 " bases=", rom_len, run_addr);
	for (int i = 0; i < n_bases; i++)
		fprintf(f, "%s0x%" PRIx64, i ? "," : "", bases[i]);
	fprintf(f, " mismatched=%" PRIu64 " stale=%" PRIu64 "\n", mismatched, stale);
	for (s = all_sites; s; s = s->all_next)
		for (r = s->recs; r; r = r->next) {
			size_t i, k = 0;
			qsort(r->iv, r->n, sizeof(*r->iv), cmp_ival);
			for (i = 1; i < r->n; i++) {	/* final merge */
				if (r->iv[i].start <= r->iv[k].end) {
					if (r->iv[i].end > r->iv[k].end)
						r->iv[k].end = r->iv[i].end;
				} else {
					r->iv[++k] = r->iv[i];
				}
			}
			if (r->n)
				r->n = k + 1;
			for (i = 0; i < r->n; i++)
				fprintf(f, "%c pc=0x%" PRIx64 " base=0x%" PRIx64
					" start=0x%" PRIx64 " end=0x%" PRIx64
					" n=%" PRIu64 " sizes=0x%x alias=0x%" PRIx64 "\n",
					r->store ? 'W' : 'R', s->pc, s->base,
					r->iv[i].start, r->iv[i].end,
					r->count, r->sizes, r->alias);
		}
	fflush(f);
	if (f != stderr)
		fclose(f);
	out = NULL;
	out_path = NULL;	/* print once */
	pthread_mutex_unlock(&lock);
}

PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
				      int argc, char **argv)
{
	const char *rom_path = NULL;
	FILE *f;

	if (!info->system_emulation) {
		fprintf(stderr, "memaudit: system emulation only\n");
		return 1;
	}
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "rom=", 4))
			rom_path = argv[i] + 4;
		else if (!strncmp(argv[i], "out=", 4))
			out_path = argv[i] + 4;
		else if (!strncmp(argv[i], "run=", 4))
			run_addr = strtoull(argv[i] + 4, NULL, 0);
		else if (!strncmp(argv[i], "rom_area=", 9)) {
			char *e;
			area_lo = strtoull(argv[i] + 9, &e, 0);
			area_hi = strtoull(e + 1, NULL, 0);
		} else {
			fprintf(stderr, "memaudit: unknown argument %s\n", argv[i]);
			return 1;
		}
	}
	if (!rom_path || !(f = fopen(rom_path, "rb"))) {
		fprintf(stderr, "memaudit: need rom=FILE (readable)\n");
		return 1;
	}
	fseek(f, 0, SEEK_END);
	rom_len = ftell(f);
	rewind(f);
	rom = malloc(rom_len);
	if (fread(rom, 1, rom_len, f) != rom_len) {
		fprintf(stderr, "memaudit: cannot read %s\n", rom_path);
		return 1;
	}
	fclose(f);
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb);
	qemu_plugin_register_atexit_cb(id, at_exit_dump, NULL);
	return 0;
}
