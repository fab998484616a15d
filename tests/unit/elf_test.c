// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of common/pvh_elf.c over the generated corpus (elf_corpus.py):
 *
 *   elf-test CORPUS_DIR
 *
 * For every case in CORPUS_DIR/manifest: the exact result (message, or
 * class, entry, segments and note count), the number of reads when the
 * manifest gives one, reads only inside the file, the invariants of
 * image_check.h (with the notes reported to the note callback) and the
 * free list afterwards.  Then, over the good cases:
 * every truncation is refused, every injected read failure is reported,
 * single-byte corruptions never break an invariant.  And the messages.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "freemem.h"
#include "image_check.h"
#include "message.h"
#include "pvh_elf.h"
#include "qemu_map.h"

/* ---- a reader over memory that checks every request ---- */

struct mem_reader {
	const uint8_t *data;
	uint64_t len;      /* bytes in data; the file may claim more (zeros) */
	uint64_t size;     /* the file size the check is given */
	unsigned reads;
	unsigned fail_at;  /* 1-based read to fail, 0 = none */
	uint64_t failed_offset;
	bool bad_request;  /* a read reached outside the file, or was empty */
	struct note_log notes;
};

static int mem_read(void *ctx, uint64_t offset, void *buf, uint32_t len)
{
	struct mem_reader *m = ctx;

	m->reads++;
	if (len == 0 || offset > m->size || len > m->size - offset) {
		m->bad_request = true;
		return -1;
	}
	if (m->fail_at == m->reads) {
		m->failed_offset = offset;
		return -1;
	}
	memset(buf, 0, len);
	if (offset < m->len) {
		uint64_t n = m->len - offset < len ? m->len - offset : len;
		memcpy(buf, m->data + offset, (size_t)n);
	}
	return 0;
}

/* The buffer pvh_elf_check() reads into, garbage before each run. */
static uint8_t elf_buf[PVH_ELF_BUF_SIZE];

static void mem_note(void *ctx, uint32_t offset, const uint8_t *note)
{
	struct mem_reader *m = ctx;
	note_log_add(&m->notes, offset, note);
}

/* ---- the memory a case is checked against ---- */

struct policy {
	struct e820_entry map[QEMU_MAP_MAX];
	unsigned nmap;
	struct mem_range avoid[1];
	unsigned navoid;
};

static int parse_policy(const char *text, struct policy *p)
{
	char ram[32];
	unsigned long long a, b;
	uint64_t bytes;

	p->navoid = 0;
	if (sscanf(text, "ram=%31[^ ]", ram) != 1 || qemu_parse_ram_size(ram, &bytes))
		return -1;
	p->nmap = qemu_q35_e820(bytes, p->map);
	const char *av = strstr(text, " avoid=");
	if (av) {
		if (sscanf(av, " avoid=%llx-%llx", &a, &b) != 2 || a >= b)
			return -1;
		p->avoid[0] = (struct mem_range){ a, b };
		p->navoid = 1;
	}
	return 0;
}

/* The ROM's free list for the policy: RAM, minus what the ROM keeps. */
static void free_list(const struct policy *p, struct freemem *f)
{
	freemem_init(f, p->map, p->nmap, pvh_memmap_count(p->nmap));
	for (unsigned i = 0; i < p->navoid; i++)
		freemem_remove(f, (uint32_t)p->avoid[i].start, (uint32_t)p->avoid[i].end);
}

/* Bytes in the way: the map's entries other than RAM, and what was taken. */
static uint64_t used_total(const struct freemem *f)
{
	uint64_t t = 0;
	for (unsigned i = f->nram; i < f->n; i++)
		t += f->s[i].end - f->s[i].start;
	return t;
}

struct result {
	enum pvh_elf_error err;
	struct pvh_elf_detail detail;
	struct pvh_image img;
	struct freemem free_before, free_after;
	unsigned reads;
	bool bad_request;
	struct note_log notes;
	const uint8_t *data; /* the file, at least its header when accepted */
	char text[1024]; /* "pvh: message" or the "ok ..." summary */
};

static void summarize(struct result *r)
{
	char msg[160];
	size_t n;

	if (r->err != PVH_ELF_OK) {
		snprintf(r->text, sizeof(r->text), "pvh: %s",
			 pvh_elf_message(r->err, &r->detail, msg, sizeof(msg)));
		return;
	}
	/* Class and machine as the accepted file says. */
	n = (size_t)snprintf(r->text, sizeof(r->text), "ok class=%u machine=%u entry=0x%08x segs=",
			     r->data[EI_CLASS] == ELFCLASS64 ? 64 : 32,
			     r->data[18] | r->data[19] << 8, r->img.entry);
	for (unsigned i = 0; i < r->img.nseg && n < sizeof(r->text); i++) {
		const struct pvh_segment *s = &r->img.seg[i];
		n += (size_t)snprintf(r->text + n, sizeof(r->text) - n, "%s0x%x:0x%08x:0x%x:0x%x",
				      i ? "," : "", s->offset, s->paddr, s->filesz, s->memsz);
	}
	if (n < sizeof(r->text))
		snprintf(r->text + n, sizeof(r->text) - n, " notes=%u", r->notes.seen);
}

/*
 * What elf_buf holds before a run: 0xa5 bytes, or (stale) a bzImage's
 * signature "HdrS" wherever it fits at its offset 0x202 modulo 4, as a
 * buffer a read of another file left might.
 */
static void fill_elf_buf(bool stale)
{
	static const char signatures[4] = "rSHd"; /* "HdrS" from offset 2 */

	for (size_t i = 0; i < sizeof(elf_buf); i++)
		elf_buf[i] = stale ? (uint8_t)signatures[i % 4] : 0xa5;
}

static void run_over(bool stale, const uint8_t *data, uint64_t len, uint64_t size,
		     unsigned fail_at, const struct policy *p, struct result *r)
{
	static struct mem_reader m;
	m = (struct mem_reader){ .data = data, .len = len, .size = size, .fail_at = fail_at };
	const struct pvh_reader reader = { .read = mem_read, .ctx = &m, .size = size,
					   .note = mem_note, .buf = elf_buf };

	free_list(p, &r->free_before);
	r->free_after = r->free_before;
	/* Garbage in the outputs must not matter. */
	memset(&r->img, 0xa5, sizeof(r->img));
	memset(&r->detail, 0xa5, sizeof(r->detail));
	fill_elf_buf(stale);
	r->err = pvh_elf_check(&reader, &r->free_after, &r->img, &r->detail);
	r->reads = m.reads;
	r->bad_request = m.bad_request;
	r->notes = m.notes;
	r->data = data;
	if (r->err == PVH_ELF_READ_FAILED && fail_at)
		CHECK(r->detail.a == m.failed_offset, "read failure reported at 0x%" PRIx32
		      ", happened at 0x%" PRIx64, r->detail.a, m.failed_offset);
	summarize(r);
}

/*
 * One validation of data (len bytes of a file of size bytes, read fail_at
 * failing if not 0) into r; run over a buffer of stale signatures first,
 * whose result must be the same: the validator looks only at bytes it read.
 */
static void run(const uint8_t *data, uint64_t len, uint64_t size, unsigned fail_at,
		const struct policy *p, struct result *r)
{
	static struct result stale;

	run_over(true, data, len, size, fail_at, p, &stale);
	run_over(false, data, len, size, fail_at, p, r);
	CHECK(!strcmp(stale.text, r->text), "%" PRIu64 " of %" PRIu64
	      " bytes, over stale bytes in the buffer:\n  got  %s\n  want %s",
	      len, size, stale.text, r->text);
}

/* What must hold after any run, whatever the file. */
static void check_any(const char *name, const struct policy *p, uint64_t size,
		      const struct result *r)
{
	char msg[160];

	CHECK(!r->bad_request, "%s: a read reached outside the file or was empty", name);
	CHECK((unsigned)r->err < PVH_ELF_ERROR_COUNT, "%s: error %d out of range", name, r->err);
	if (r->err != PVH_ELF_OK) {
		pvh_elf_message(r->err, &r->detail, msg, sizeof(msg));
		CHECK(strlen(msg) > 0 && strlen(msg) <= 80, "%s: message '%s' length", name, msg);
		return;
	}
	const char *why = image_problem(&r->img, size, p->map, p->nmap, p->avoid, p->navoid,
					&r->notes);
	CHECK(why == NULL, "%s: accepted image is wrong: %s", name, why);
	/* The segments were taken, and nothing else was. */
	uint64_t taken = 0;
	struct freemem f = r->free_after;
	for (unsigned i = 0; i < r->img.nseg && i < PVH_MAX_SEGMENTS; i++) {
		const struct pvh_segment *s = &r->img.seg[i];
		taken += s->memsz;
		CHECK(freemem_take(&f, s->paddr, s->paddr + s->memsz) != 0,
		      "%s: segment 0x%08x still free", name, s->paddr);
	}
	CHECK(used_total(&r->free_after) - used_total(&r->free_before) == taken,
	      "%s: %" PRIu64 " bytes taken for %" PRIu64 " bytes of segments", name,
	      used_total(&r->free_after) - used_total(&r->free_before), taken);
}

static uint8_t *load_file(const char *path, uint64_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*len = n;
	return buf ? buf : malloc(1);
}

/* Every prefix of a good file is refused; none reads outside itself. */
static void truncations(const char *name, const uint8_t *data, uint64_t len,
			const struct policy *p)
{
	static struct result r;
	for (uint64_t cut = 0; cut < len; cut++) {
		run(data, cut, cut, 0, p, &r);
		check_any(name, p, cut, &r);
		CHECK(r.err != PVH_ELF_OK, "%s cut to %" PRIu64 " bytes: accepted", name, cut);
		if (cut > 0 && cut < 4096)
			CHECK(r.err != PVH_ELF_EMPTY, "%s cut to %" PRIu64 ": called empty", name, cut);
	}
}

/* Failing read k of a good file is reported as such, whatever k. */
static void read_failures(const char *name, const uint8_t *data, uint64_t len,
			  const struct policy *p, unsigned reads)
{
	static struct result r;
	for (unsigned k = 1; k <= reads + 1; k++) {
		run(data, len, len, k, p, &r);
		check_any(name, p, len, &r);
		if (k <= reads)
			CHECK(r.err == PVH_ELF_READ_FAILED, "%s, read %u failing: got '%s'", name, k,
			      r.text);
		else
			CHECK(r.err == PVH_ELF_OK, "%s: one read too many failing: '%s'", name, r.text);
	}
}

/* Single-byte corruptions (every byte, three patterns) break nothing. */
static unsigned corruptions(const char *name, const uint8_t *data, uint64_t len,
			    const struct policy *p)
{
	static const uint8_t xors[] = { 0x01, 0x80, 0xff };
	static struct result r;
	uint8_t *copy = malloc((size_t)len);
	unsigned accepted = 0;

	memcpy(copy, data, (size_t)len);
	for (uint64_t i = 0; i < len; i++) {
		for (unsigned x = 0; x < sizeof(xors); x++) {
			copy[i] ^= xors[x];
			run(copy, len, len, 0, p, &r);
			check_any(name, p, len, &r);
			accepted += r.err == PVH_ELF_OK;
			copy[i] ^= xors[x];
		}
	}
	free(copy);
	return accepted;
}

static void corpus(const char *dir)
{
	char path[4096], line[4096];
	unsigned cases = 0, good = 0, bad = 0;
	static struct result r;

	snprintf(path, sizeof(path), "%s/manifest", dir);
	FILE *mf = fopen(path, "r");
	if (!mf) {
		CHECK(0, "cannot open %s", path);
		return;
	}
	while (fgets(line, sizeof(line), mf)) {
		line[strcspn(line, "\n")] = '\0';
		char *name = strtok(line, "\t"), *pol = strtok(NULL, "\t");
		char *reads = strtok(NULL, "\t"), *expect = strtok(NULL, "\t");
		struct policy p;
		uint64_t len;

		if (!name || !pol || !reads || !expect || parse_policy(pol, &p)) {
			CHECK(0, "bad manifest line for %s", name ? name : "?");
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		uint8_t *data = load_file(path, &len);
		if (!data) {
			CHECK(0, "cannot read %s", path);
			continue;
		}
		cases++;
		run(data, len, len, 0, &p, &r);
		check_any(name, &p, len, &r);
		CHECK(!strcmp(r.text, expect), "%s:\n  got  %s\n  want %s", name, r.text, expect);
		if (strcmp(reads, "-"))
			CHECK(r.reads == (unsigned)atoi(reads), "%s: %u reads, want %s", name, r.reads,
			      reads);
		/* The detail argument may be NULL, and so may the note callback. */
		static struct mem_reader m;
		m = (struct mem_reader){ .data = data, .len = len, .size = len };
		const struct pvh_reader reader = { .read = mem_read, .ctx = &m, .size = len,
						   .buf = elf_buf };
		struct freemem f;
		free_list(&p, &f);
		CHECK(pvh_elf_check(&reader, &f, &r.img, NULL) == r.err, "%s: NULL detail", name);

		if (!strncmp(expect, "ok", 2)) {
			good++;
			unsigned n = r.reads;
			truncations(name, data, len, &p);
			read_failures(name, data, len, &p, n);
			if (len <= 8192)
				corruptions(name, data, len, &p);
			/* The same file claiming to be huge (zeros after its end). */
			run(data, len, 0xfffffffeu, 0, &p, &r);
			CHECK(!strcmp(r.text, expect), "%s as a 4 GiB file: %s", name, r.text);
		} else {
			bad++;
		}
		free(data);
	}
	fclose(mf);
	printf("elf-test: %u corpus cases (%u good, %u bad)\n", cases, good, bad);
	CHECK(good >= 10 && bad >= 20, "corpus too small: %u good, %u bad", good, bad);
}

/* Sizes a 32-bit file position cannot hold are refused without a read. */
static void huge_files(void)
{
	static const uint64_t sizes[] = { 0xffffffffu, 0x100000000ull, UINT64_MAX };
	static struct result r;
	struct policy p;
	parse_policy("ram=512M", &p);
	for (unsigned i = 0; i < 3; i++) {
		run((const uint8_t *)"", 0, sizes[i], 0, &p, &r);
		CHECK(r.err == PVH_ELF_TOO_LARGE && r.reads == 0, "size 0x%" PRIx64 ": %s",
		      sizes[i], r.text);
	}
}

/* Every message, with detail {0x11111111, 0x22222222} (README lists them). */
static const char *const expected_messages[PVH_ELF_ERROR_COUNT] = {
	[PVH_ELF_OK] = "ok",
	[PVH_ELF_READ_FAILED] = "cannot read the kernel file at 0x11111111",
	[PVH_ELF_EMPTY] = "kernel file is empty",
	[PVH_ELF_TOO_LARGE] = "kernel file is too large",
	[PVH_ELF_NOT_ELF] = "kernel is not an ELF file",
	[PVH_ELF_BZIMAGE] = "kernel is a bzImage, not an ELF file",
	[PVH_ELF_TRUNCATED] = "kernel file is truncated",
	[PVH_ELF_BAD_CLASS] = "kernel has a bad ELF class (0x11111111)",
	[PVH_ELF_NOT_LITTLE_ENDIAN] = "kernel is not a little-endian ELF file",
	[PVH_ELF_BAD_VERSION] = "kernel has a bad ELF version (0x11111111)",
	[PVH_ELF_BAD_MACHINE] = "kernel is not an x86 ELF file (machine 0x11111111)",
	[PVH_ELF_NOT_EXECUTABLE] = "kernel is not an ELF executable (type 0x11111111)",
	[PVH_ELF_BAD_PHENTSIZE] = "kernel has a bad program header size (0x11111111)",
	[PVH_ELF_TOO_MANY_PHDRS] = "kernel has too many program headers (0x11111111)",
	[PVH_ELF_PHDRS_OUTSIDE_FILE] = "program headers lie outside the file",
	[PVH_ELF_NO_LOAD_SEGMENT] = "kernel has no loadable segment",
	[PVH_ELF_TOO_MANY_SEGMENTS] = "kernel has more than 16 loadable segments",
	[PVH_ELF_FILESZ_GT_MEMSZ] = "program header 0x11111111: file size exceeds memory size",
	[PVH_ELF_SEGMENT_OUTSIDE_FILE] = "program header 0x11111111: data lies outside the file",
	[PVH_ELF_SEGMENT_WRAPS] = "program header 0x11111111: segment is not below 4 GiB",
	[PVH_ELF_SEGMENT_LOW] = "segment 0x11111111 - 0x22222222 is in the first MiB",
	[PVH_ELF_SEGMENT_NOT_RAM] = "segment 0x11111111 - 0x22222222 is not in RAM",
	[PVH_ELF_SEGMENT_OVERLAP] = "segment 0x11111111 - 0x22222222 overlaps another segment",
	[PVH_ELF_BAD_NOTE] = "malformed ELF note at file offset 0x11111111",
	[PVH_ELF_BAD_ENTRY_NOTE] = "PVH entry note descriptor is not 4 or 8 bytes (0x11111111)",
	[PVH_ELF_NO_ENTRY_NOTE] = "no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY)",
	[PVH_ELF_ENTRY_OUTSIDE] = "entry point 0x11111111 is outside the loaded segments",
};

static void messages(void)
{
	const struct pvh_elf_detail zero = { 0 }, d = { 0x11111111, 0x22222222 };
	char all[PVH_ELF_ERROR_COUNT][160], buf[160];

	for (unsigned e = 0; e < PVH_ELF_ERROR_COUNT; e++) {
		pvh_elf_message(e, &d, buf, sizeof(buf));
		CHECK(expected_messages[e] && !strcmp(buf, expected_messages[e]),
		      "message %u:\n  got  '%s'\n  want '%s'", e, buf,
		      expected_messages[e] ? expected_messages[e] : "(none)");
		CHECK(strlen(buf) <= MESSAGE_MAX, "message %u longer than MESSAGE_MAX: '%s'", e, buf);
		for (const char *c = buf; *c; c++)
			CHECK(*c >= 0x20 && *c < 0x7f, "message %u: byte 0x%02x", e, *c);
		if (e == 0)
			continue;
		pvh_elf_message(e, &zero, all[e], sizeof(all[e]));
		CHECK(strlen(all[e]) > 5 && strlen(all[e]) <= MESSAGE_MAX, "message %u: '%s'", e, all[e]);
		CHECK(!strchr(all[e], '%'), "message %u has a stray conversion: '%s'", e, all[e]);
		for (unsigned f = 1; f < e; f++)
			CHECK(strcmp(all[e], all[f]), "messages %u and %u are the same: '%s'", f, e,
			      all[e]);
	}
	pvh_elf_message(PVH_ELF_ERROR_COUNT, &zero, buf, sizeof(buf));
	CHECK(!strcmp(buf, "unknown error"), "out-of-range error: '%s'", buf);
	pvh_elf_message((enum pvh_elf_error)-1, &zero, buf, sizeof(buf));
	CHECK(!strcmp(buf, "unknown error"), "negative error: '%s'", buf);

	/* Numbers: eight hex digits each, a then b. */
	const struct pvh_elf_detail r = { 0x34567890, 0x2000ffff }, big = { 0xffffffff, 0 };
	pvh_elf_message(PVH_ELF_SEGMENT_NOT_RAM, &r, buf, sizeof(buf));
	CHECK(!strcmp(buf, "segment 0x34567890 - 0x2000ffff is not in RAM"), "%s", buf);
	pvh_elf_message(PVH_ELF_SEGMENT_OUTSIDE_FILE, &(struct pvh_elf_detail){ 7, 0 }, buf,
			sizeof(buf));
	CHECK(!strcmp(buf, "program header 0x00000007: data lies outside the file"), "%s", buf);
	pvh_elf_message(PVH_ELF_ENTRY_OUTSIDE, &big, buf, sizeof(buf));
	CHECK(!strcmp(buf, "entry point 0xffffffff is outside the loaded segments"), "%s", buf);

	/* Truncation to the caller's buffer. */
	memset(buf, 'x', sizeof(buf));
	pvh_elf_message(PVH_ELF_NOT_ELF, &zero, buf, 7);
	CHECK(!strcmp(buf, "kernel"), "cap 7: '%s'", buf);
	memset(buf, 'x', sizeof(buf));
	pvh_elf_message(PVH_ELF_SEGMENT_NOT_RAM, &r, buf, 12);
	CHECK(!strcmp(buf, "segment 0x3"), "cap 12: '%s'", buf);
	/* A buffer one byte short of the message and its NUL, and one that
	 * holds both exactly: nothing written at buf[cap] or beyond. */
	const char *not_elf = "kernel is not an ELF file";
	unsigned len = (unsigned)strlen(not_elf);
	memset(buf, 'x', sizeof(buf));
	pvh_elf_message(PVH_ELF_NOT_ELF, &zero, buf, len);
	CHECK(!strncmp(buf, not_elf, len - 1) && buf[len - 1] == '\0' && buf[len] == 'x',
	      "cap %u (the length): '%s'", len, buf);
	memset(buf, 'x', sizeof(buf));
	pvh_elf_message(PVH_ELF_NOT_ELF, &zero, buf, len + 1);
	CHECK(!strcmp(buf, not_elf) && buf[len + 1] == 'x', "cap %u: '%s'", len + 1, buf);
	memset(buf, 'x', sizeof(buf));
	pvh_elf_message(PVH_ELF_NOT_ELF, &zero, buf, 1);
	CHECK(buf[0] == '\0' && buf[1] == 'x', "cap 1 wrote more than the NUL");
	memset(buf, 'x', sizeof(buf));
	pvh_elf_message(PVH_ELF_NOT_ELF, &zero, buf, 0);
	CHECK(buf[0] == 'x' && buf[1] == 'x', "cap 0 wrote something");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: elf-test CORPUS_DIR\n");
		return 2;
	}
	messages();
	huge_files();
	corpus(argv[1]);
	printf("elf-test: %u checks, %u failures\n", checks, failures);
	return failures != 0;
}
