// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pvh-inspect: says whether pvh.bin would boot an ELF file in self-load mode
 * and how, using the ROM's own validation code (common/pvh_elf.c) against
 * the memory map of a QEMU q35 guest.
 *
 *   pvh-inspect [--ram SIZE] FILE
 *
 * Exit status: 0 the ROM would boot FILE, 1 it would refuse it (the ROM's
 * message is printed, "pvh: ..."), 2 usage or I/O error.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e820.h"
#include "elf.h"
#include "freemem.h"
#include "message.h"
#include "pvh_abi.h"
#include "pvh_elf.h"
#include "qemu_map.h"

#define MAX_NOTES 16 /* notes listed; the rest are counted */

struct note_info {
	uint32_t offset, type, descsz;
	char owner[16]; /* NUL-terminated, truncated to 15 bytes if longer */
};

struct file_reader {
	int fd;
	int err; /* errno of a failed read, or -1 for a short one */
	unsigned nnotes, notes_seen;
	struct note_info notes[MAX_NOTES]; /* in file order */
	bool have_entry_note;
	struct note_info entry_note; /* the first PVH entry note */
};

static int read_file(void *ctx, uint64_t offset, void *buf, uint32_t len)
{
	struct file_reader *f = ctx;
	char *p = buf;

	while (len) {
		ssize_t n = pread(f->fd, p, len, (off_t)offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			f->err = n < 0 ? errno : -1;
			return -1;
		}
		p += n;
		offset += (uint64_t)n;
		len -= (uint32_t)n;
	}
	return 0;
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The validator's note callback: note holds at least min(32, note size)
 * bytes, so up to 20 bytes of the owner name. */
static void record_note(void *ctx, uint32_t offset, const uint8_t *note)
{
	struct file_reader *f = ctx;
	uint32_t namesz = get32(note);
	unsigned k = 0;

	struct note_info n = {
		.offset = offset, .descsz = get32(note + 4), .type = get32(note + 8),
	};
	for (; k < namesz && k < sizeof(n.owner) - 1 && note[12 + k]; k++)
		n.owner[k] = (char)note[12 + k];
	n.owner[k] = '\0';
	if (!f->have_entry_note && namesz == 4 && !strcmp(n.owner, "Xen") &&
	    n.type == XEN_ELFNOTE_PHYS32_ENTRY) {
		f->have_entry_note = true;
		f->entry_note = n;
	}
	f->notes_seen++;
	if (f->nnotes < MAX_NOTES)
		f->notes[f->nnotes++] = n;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: pvh-inspect [--ram SIZE] FILE\n"
		"       pvh-inspect --messages\n"
		"Says whether pvh.bin would boot the ELF FILE in self-load mode (-fw_cfg\n"
		"name=opt/pvh/kernel,file=FILE) and how.  SIZE is the guest's RAM as for\n"
		"QEMU's -m (512M, 6G; a plain number means MiB; default 512M), laid out\n"
		"as SeaBIOS reports it on q35.  Exit status: 0 boots, 1 refused (the\n"
		"ROM's message is printed), 2 usage or I/O error.  --messages lists\n"
		"every line the ROM can print, numbers shown as 0x....\n");
}

/* Every line the ROM can print (the README's tables list them all). */
static int list_messages(void)
{
	for (unsigned m = 0; m < MSG_COUNT; m++) {
		char line[MESSAGE_MAX + 1];

		if (m == PVH_ELF_OK)
			continue;
		format_message(line, m, 0, 0);
		fputs("pvh: ", stdout);
		for (const char *c = line; *c; c++) {
			if (!strncmp(c, "0x00000000", 10)) {
				fputs("0x...", stdout);
				c += 9;
			} else {
				putchar(*c);
			}
		}
		putchar('\n');
	}
	return 0;
}

static const char *machine_name(unsigned m)
{
	return m == EM_X86_64 ? "x86-64" : m == EM_386 ? "i386" : "?";
}

/* Owner names come from the file: show them printable. */
static void print_owner(const char *s)
{
	putchar('"');
	for (; *s; s++)
		if (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\')
			putchar(*s);
		else
			printf("\\x%02x", (unsigned char)*s);
	putchar('"');
}

static const char *xen_note_name(uint32_t type)
{
	switch (type) {
	case XEN_ELFNOTE_PHYS32_ENTRY:
		return " (XEN_ELFNOTE_PHYS32_ENTRY)";
	case 19:
		return " (XEN_ELFNOTE_PHYS32_RELOC, not used)";
	default:
		return "";
	}
}

static void print_image(const struct pvh_image *img, const struct file_reader *f,
			const uint8_t *ehdr)
{
	/* The class and machine of a file the validator accepted. */
	printf("boots: ELF%u %s, entry 0x%08x, %u segment%s\n",
	       ehdr[EI_CLASS] == ELFCLASS64 ? 64 : 32, machine_name(ehdr[18] | ehdr[19] << 8),
	       img->entry, img->nseg, img->nseg == 1 ? "" : "s");
	/* An accepted file has an entry note (it was reported first). */
	printf("  entry: note at 0x%08x (owner \"Xen\", type %u, %u-byte descriptor)\n",
	       f->entry_note.offset, XEN_ELFNOTE_PHYS32_ENTRY, f->entry_note.descsz);
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct pvh_segment *s = &img->seg[i];
		uint64_t last = (uint64_t)s->paddr + s->memsz - 1;
		printf("  segment %u: memory 0x%08x - 0x%08llx, ", i, s->paddr,
		       (unsigned long long)last);
		if (s->filesz)
			printf("file 0x%08x - 0x%08x, ", s->offset, s->offset + (s->filesz - 1));
		else
			printf("no file data, ");
		printf("filesz 0x%x, memsz 0x%x, bss 0x%x\n", s->filesz, s->memsz,
		       s->memsz - s->filesz);
	}
	for (unsigned i = 0; i < f->nnotes; i++) {
		const struct note_info *n = &f->notes[i];
		bool xen = strcmp(n->owner, "Xen") == 0;
		printf("  note at 0x%08x: owner ", n->offset);
		print_owner(n->owner);
		printf(", type %u%s, %u-byte descriptor\n", n->type,
		       xen ? xen_note_name(n->type) : "", n->descsz);
	}
	if (f->notes_seen > f->nnotes)
		printf("  (%u more notes not listed)\n", f->notes_seen - f->nnotes);
}

int main(int argc, char **argv)
{
	uint64_t ram = 512ull << 20;
	const char *path = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *size = NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--messages") && argc == 2) {
			return list_messages();
		} else if (!strcmp(a, "--ram")) {
			if (++i == argc) {
				fprintf(stderr, "pvh-inspect: --ram needs a size\n");
				return 2;
			}
			size = argv[i];
		} else if (!strncmp(a, "--ram=", 6)) {
			size = a + 6;
		} else if (!strcmp(a, "--")) {
			if (i + 2 != argc || path) {
				usage(stderr);
				return 2;
			}
			path = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "pvh-inspect: unknown option %s\n", a);
			usage(stderr);
			return 2;
		} else if (path) {
			fprintf(stderr, "pvh-inspect: one FILE only\n");
			usage(stderr);
			return 2;
		} else {
			path = a;
		}
		if (size && qemu_parse_ram_size(size, &ram)) {
			fprintf(stderr, "pvh-inspect: bad RAM size '%s' (e.g. 512M, 6G; 2M to 1T)\n",
				size);
			return 2;
		}
	}
	if (!path) {
		usage(stderr);
		return 2;
	}

	static struct file_reader f;
	f.fd = open(path, O_RDONLY);
	struct stat st;
	if (f.fd < 0 || fstat(f.fd, &st)) {
		fprintf(stderr, "pvh-inspect: %s: %s\n", path, strerror(errno));
		return 2;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "pvh-inspect: %s: not a regular file\n", path);
		return 2;
	}

	struct e820_entry map[QEMU_MAP_MAX];
	unsigned nmap = qemu_q35_e820(ram, map);
	static struct freemem free_ram;
	freemem_init(&free_ram, map, nmap, pvh_memmap_count(nmap));

	static uint8_t elf_buf[PVH_ELF_BUF_SIZE];
	const struct pvh_reader reader = { .read = read_file, .ctx = &f,
					   .size = (uint64_t)st.st_size, .note = record_note,
					   .buf = elf_buf };
	static struct pvh_image img;
	struct pvh_elf_detail detail;
	enum pvh_elf_error err = pvh_elf_check(&reader, &free_ram, &img, &detail);
	uint8_t ehdr[EI_NIDENT + 4];
	if (err == PVH_ELF_OK && read_file(&f, 0, ehdr, sizeof(ehdr)))
		err = PVH_ELF_READ_FAILED;
	close(f.fd);

	if (err == PVH_ELF_READ_FAILED) {
		/* The ROM would say this too, but on the host it is our problem. */
		fprintf(stderr, "pvh-inspect: %s: %s\n", path,
			f.err > 0 ? strerror(f.err) : "file changed while reading");
		return 2;
	}
	if (err != PVH_ELF_OK) {
		char msg[128];
		printf("pvh: %s\n", pvh_elf_message(err, &detail, msg, sizeof(msg)));
		return 1;
	}
	print_image(&img, &f, ehdr);
	printf("  memory: %llu MiB, q35 layout (0x%llx bytes below 4 GiB)\n",
	       (unsigned long long)(ram >> 20),
	       (unsigned long long)e820_ram_below(map, nmap, 1ull << 32));
	return 0;
}
