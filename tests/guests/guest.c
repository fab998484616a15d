// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PVH test guest: decodes what the firmware handed over (entry state and
 * hvm_start_info with everything it points to) and reports it as key=value
 * lines on the debug port; see README.md for the keys.
 */
#include "guest.h"

_Static_assert(offsetof(struct entry_state, cr0) == 16, "entry.S layout");
_Static_assert(offsetof(struct entry_state, cs) == 24, "entry.S layout");
_Static_assert(offsetof(struct entry_state, tr) == 36, "entry.S layout");
_Static_assert(offsetof(struct entry_state, gdtr) == 40, "entry.S layout");
_Static_assert(offsetof(struct entry_state, eip) == 52, "entry.S layout");
_Static_assert(sizeof(struct entry_state) == 56, "entry.S layout");

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_MARK 0x7e      /* an unused CMOS byte: survives a reset */
#define CMOS_MARK_DIRTY 0xa5
#define RESET_CONTROL 0xcf9 /* PIIX3 / ICH9 reset control register */

static struct guest_info gi;
static bool report_started;
static volatile uint32_t probe_stage; /* what was being probed at a fault */
static volatile uint32_t probe_word = 1;
static volatile uint32_t a20_cell = 1;
static volatile uint32_t data_canary = 0x600dda7a;

const void *phys(uint64_t addr, uint64_t len)
{
	if (!addr || addr >= 0x100000000ull || len > 0x100000000ull - addr)
		return NULL;
	return (const void *)(uintptr_t)addr;
}

/* ---- exceptions ---- */

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
} __attribute__((packed));

static struct idt_gate idt[32];

static void idt_setup(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uint32_t)idt };

	for (unsigned v = 0; v < 32; v++) {
		uint32_t h = (uint32_t)isr_stub_base + 16 * v;
		idt[v] = (struct idt_gate){ (uint16_t)h, entry_state.cs, 0, 0x8e,
					    (uint16_t)(h >> 16) };
	}
	__asm__ volatile("lidt %0" : : "m"(desc));
}

struct fault_frame {
	uint32_t vector, error, eip, cs, eflags;
};

void guest_fault(const struct fault_frame *f);
void guest_fault(const struct fault_frame *f)
{
	out_set(SINK_DEBUG);
	out_str(report_started ? "\n" : "\nPVHGUEST BEGIN\n");
	out_key("fault.vector", f->vector);
	out_key("fault.error", f->error);
	out_key("fault.eip", f->eip);
	out_key("fault.stage", probe_stage);
	out_str("PVHGUEST END\n");
	guest_exit(EXIT_FAULT);
}

/* ---- segments ---- */

#define SEG_ACCESS(seg)                                                      \
	static uint32_t read_##seg(uint32_t a)                               \
	{                                                                    \
		uint32_t v;                                                  \
		__asm__ volatile("movl %%" #seg ":(%1), %0"                  \
				 : "=r"(v) : "r"(a) : "memory");             \
		return v;                                                    \
	}                                                                    \
	static void write_##seg(uint32_t a, uint32_t v)                      \
	{                                                                    \
		__asm__ volatile("movl %0, %%" #seg ":(%1)"                  \
				 : : "r"(v), "r"(a) : "memory");             \
	}
SEG_ACCESS(ds)
SEG_ACCESS(es)
SEG_ACCESS(ss)

static uint32_t read_cs(uint32_t a)
{
	uint32_t v;
	__asm__ volatile("movl %%cs:(%1), %0" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/*
 * Check the live (cached) segment state, which the descriptor table need
 * not match: CS base 0 from where "call" says we run, data bases equal to
 * CS's by reading and writing one word through each, and a 4 GiB limit by
 * reading the last dword below 4 GiB (a smaller limit faults, and the
 * fault handler reports probe_stage).
 */
static void probe_segments(void)
{
	const uint32_t top = 0xfffffffcu, w = (uint32_t)&probe_word;

	probe_stage = 1;
	gi.seg[SEG_CS].probe = entry_state.eip == (uint32_t)entry_label &&
			       read_cs((uint32_t)_start) == *(const uint32_t *)_start;
	(void)read_cs(top);

	probe_stage = 2;
	write_ds(w, 0x11111111);
	gi.seg[SEG_DS].probe = read_cs(w) == 0x11111111 && read_ds(w) == 0x11111111;
	(void)read_ds(top);

	probe_stage = 3;
	write_es(w, 0x22222222);
	gi.seg[SEG_ES].probe = read_cs(w) == 0x22222222 && read_es(w) == 0x22222222;
	(void)read_es(top);

	probe_stage = 4;
	write_ss(w, 0x33333333);
	gi.seg[SEG_SS].probe = read_cs(w) == 0x33333333 && read_ss(w) == 0x33333333;
	(void)read_ss(top);
	probe_stage = 0;
}

/*
 * KVM's instruction emulator cannot do lsl/lar, and under nested KVM these
 * instructions can land there (seen with a GDT in the option ROM area): the
 * VM then stops with an internal error.  Skip them on KVM.
 */
static bool on_kvm(void)
{
	uint32_t a, b, c, d;

	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & (1u << 31))) /* no hypervisor */
		return false;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000000), "c"(0));
	return b == 0x4b4d564b && c == 0x564b4d56 && d == 0x4d; /* "KVMKVMKVM" */
}

static void decode_seg(struct seg_info *s, const char *name, uint16_t sel)
{
	uint32_t v, ok;

	s->name = name;
	s->sel = sel;
	s->probe = -1;
	if (!gi.lsl_lar)
		goto table;
	__asm__("lsl %2, %0; setz %b1; movzbl %b1, %1"
		: "=r"(v), "=q"(ok) : "r"((uint32_t)sel) : "cc");
	s->lsl_ok = ok;
	s->lsl = ok ? v : 0;
	__asm__("lar %2, %0; setz %b1; movzbl %b1, %1"
		: "=r"(v), "=q"(ok) : "r"((uint32_t)sel) : "cc");
	s->lar_ok = ok;
	s->lar = ok ? v : 0;
table:
	s->in_gdt = (sel & ~3u) && !(sel & 4) && (sel | 7u) <= gi.gdt_limit;
	if (!s->in_gdt)
		return;
	const uint8_t *d = (const uint8_t *)(gi.gdt_base + (sel & ~7u));
	s->base = d[2] | d[3] << 8 | d[4] << 16 | (uint32_t)d[7] << 24;
	s->limit = d[0] | d[1] << 8 | (d[6] & 0xfu) << 16;
	if (d[6] & 0x80) /* G: 4 KiB units */
		s->limit = s->limit << 12 | 0xfff;
	s->access = d[5];
	s->flags = d[6] >> 4;
}

/* ---- A20, bss, reboot ---- */

/*
 * With A20 masked, address X and X ^ 1 MiB are the same byte: write both
 * and see whether the first changed.  The alias (in low memory) is restored.
 */
static int a20_enabled(void)
{
	volatile uint32_t *a = &a20_cell;
	volatile uint32_t *b = (volatile uint32_t *)((uint32_t)&a20_cell ^ 0x100000u);
	uint32_t saved = *b;
	int on;

	*a = 0x0a20a20a;
	*b = 0x5a5a5a5a;
	on = *a == 0x0a20a20a;
	*b = saved;
	return on;
}

static uint8_t cmos_read(uint8_t idx)
{
	outb(CMOS_INDEX, idx);
	return inb(CMOS_DATA);
}

static void cmos_write(uint8_t idx, uint8_t v)
{
	outb(CMOS_INDEX, idx);
	outb(CMOS_DATA, v);
}

/*
 * `dirty-reboot`: first boot fills bss and data with 0xaa and resets; the
 * command line too, its NUL included: the ROM places it at the same
 * address again, and must terminate it itself when the item has no NUL.
 */
static void dirty_and_reset(void)
{
	extern char __data_start[], __data_end[];
	char *cl = (char *)gi.cmdline;
	size_t cl_len = gi.cmdline_len;

	cmos_write(CMOS_MARK, CMOS_MARK_DIRTY);
	if (cl)
		memset(cl, 0xaa, cl_len + 1);
	memset(__bss_start, 0xaa, (size_t)(__bss_end - __bss_start));
	memset(__bigbss_start, 0xaa, (size_t)(__bigbss_end - __bigbss_start));
	/* Everything in .data is stale from here on: no globals below. */
	memset(__data_start, 0xaa, (size_t)(__data_end - __data_start));
	outb(RESET_CONTROL, 0x06); /* full reset */
	/* No reset register: triple fault. */
	static const uint64_t null_idt[1];
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) desc = { 0, (uint32_t)null_idt };
	__asm__ volatile("lidt %0; int3" : : "m"(desc));
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* ---- start_info and what it points to ---- */

/*
 * The guest's own RSDP search, written apart from the ROM's: every 16-byte
 * position in the EBDA's first KiB, then in 0xE0000-0xFFFFF, holding
 * "RSD PTR " and a zero sum over 20 bytes.  How many there are, and the
 * first: the address the ROM must hand over (0 if there is none).
 */
static void find_rsdps(void)
{
	const uint16_t *ebda_seg = phys(0x40e, 2); /* in the BDA */

	__asm__("" : "+r"(ebda_seg)); /* GCC takes low addresses for null + offset */
	uint32_t areas[2][2] = { { (uint32_t)*ebda_seg << 4, 1024 }, { 0xe0000, 0x20000 } };

	for (unsigned a = 0; a < 2; a++) {
		if (!areas[a][0])
			continue;
		for (uint32_t off = 0; off + 20 <= areas[a][1]; off += 16) {
			const uint8_t *r = phys(areas[a][0] + off, 20);
			uint8_t sum = 0;
			bool sig = true;

			for (unsigned i = 0; i < 20; i++) {
				sum += r[i];
				if (i < 8)
					sig = sig && r[i] == (uint8_t)"RSD PTR "[i];
			}
			if (!sig || sum)
				continue;
			if (!gi.rsdp_count++)
				gi.rsdp_first = areas[a][0] + off;
		}
	}
}

static void read_start_info(void)
{
	const struct hvm_start_info *si = phys(gi.st.ebx, sizeof(*si));

	find_rsdps(); /* the machine's, whatever EBX points at */
	gi.si = si;
	if (!si)
		return;
	gi.si_magic_ok = si->magic == HVM_START_MAGIC;
	if (!gi.si_magic_ok)
		return; /* don't follow pointers of something else */

	if (si->version >= 1)
		gi.memmap = phys(si->memmap_paddr,
				 (uint64_t)si->memmap_entries * sizeof(*gi.memmap));
	gi.mods = phys(si->modlist_paddr,
		       (uint64_t)si->nr_modules * sizeof(*gi.mods));

	gi.cmdline = phys(si->cmdline_paddr, 1);
	if (gi.cmdline) {
		uint32_t n = 0;
		while (n < CMDLINE_SCAN_MAX && phys(si->cmdline_paddr, n + 1ull) &&
		       gi.cmdline[n])
			n++;
		gi.cmdline_len = n;
		gi.cmdline_terminated = n < CMDLINE_SCAN_MAX &&
					phys(si->cmdline_paddr, n + 1ull);
	}

	gi.rsdp = phys(si->rsdp_paddr, 36);
	if (gi.rsdp) {
		const uint8_t *r = gi.rsdp;
		uint8_t sum = 0;
		gi.rsdp_sig_ok = true;
		for (unsigned i = 0; i < 8; i++)
			gi.rsdp_sig_ok = gi.rsdp_sig_ok && r[i] == (uint8_t)"RSD PTR "[i];
		for (unsigned i = 0; i < 20; i++)
			sum += r[i];
		gi.rsdp_rev = r[15];
		gi.rsdp_sum_ok = sum == 0;
		if (gi.rsdp_rev >= 2) {
			uint32_t len = r[20] | r[21] << 8 | r[22] << 16 | (uint32_t)r[23] << 24;
			sum = 0;
			if (len < 36 || len > 4096 || !phys(si->rsdp_paddr, len)) {
				gi.rsdp_sum_ok = false;
			} else {
				for (uint32_t i = 0; i < len; i++)
					sum += r[i];
				gi.rsdp_sum_ok = gi.rsdp_sum_ok && sum == 0;
			}
		}
	}
}

static uint32_t fw_cfg_u32(uint16_t key)
{
	uint32_t v = 0;

	outw(0x510, key);
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)inb(0x511) << (8 * i);
	return v;
}

/* What QEMU told the firmware (fw_cfg items), for the tests to compare. */
static void read_fw_cfg(void)
{
	gi.fw_cfg = fw_cfg_u32(0x00) == 0x554d4551; /* "QEMU" */
	if (!gi.fw_cfg)
		return;
	gi.fw_id = fw_cfg_u32(0x01);
	gi.fw_kernel_addr = fw_cfg_u32(0x07);
	gi.fw_kernel_size = fw_cfg_u32(0x08);
	gi.fw_initrd_addr = fw_cfg_u32(0x0a);
	gi.fw_initrd_size = fw_cfg_u32(0x0b);
	gi.fw_kernel_entry = fw_cfg_u32(0x10);
	gi.fw_cmdline_size = fw_cfg_u32(0x14);
	gi.fw_nb_cpus = fw_cfg_u32(0x05); /* u16: the bytes past it read 0 */
}

/* ---- the report ---- */

static void out_bytes_hex(const char *key, const char *p, uint32_t n)
{
	out_str(key);
	out_char('=');
	for (uint32_t i = 0; i < n; i++)
		out_hex_pad((uint8_t)p[i], 2);
	out_char('\n');
}

static void report_seg(const struct seg_info *s)
{
	out_key2(s->name, "_sel", s->sel);
	if (s->in_gdt) {
		out_key2(s->name, "_base", s->base);
		out_key2(s->name, "_limit", s->limit);
		out_key2(s->name, "_type", s->access & 0xfu);
		out_key2(s->name, "_access", s->access);
		out_key2(s->name, "_flags", s->flags);
		out_key2(s->name, "_db", (s->flags >> 2) & 1);
	}
	if (s->lsl_ok)
		out_key2(s->name, "_lsl", s->lsl);
	if (s->lar_ok)
		out_key2(s->name, "_lar", s->lar);
	if (s->probe >= 0)
		out_key2(s->name, "_probe", (uint32_t)s->probe);
}

/* "key.N=a,b,c\n" */
static void out_list(const char *key, unsigned idx, const uint64_t *v, unsigned n)
{
	out_str(key);
	out_char('.');
	out_dec(idx);
	out_char('=');
	for (unsigned i = 0; i < n; i++) {
		if (i)
			out_char(',');
		out_hex(v[i]);
	}
	out_char('\n');
}

static void report(void)
{
	const struct hvm_start_info *si = gi.si;
	uint32_t ebx = gi.st.ebx;

	report_started = true;
	out_str("\nPVHGUEST BEGIN\n");
	out_str("guest=");
	out_str(guest_variant);
	out_char('\n');
	out_key("boot", gi.boot);
	out_key("entry", (uint32_t)_start);
	out_key("image_start", (uint32_t)__image_start);
	out_key("image_end", (uint32_t)__image_end);
	out_key("bss_zero", gi.bss_zero);
	out_key("bss_size", gi.bss_size);
	out_key("data_ok", gi.data_ok);

	out_key("cr0", gi.st.cr0);
	out_key("cr4", gi.st.cr4);
	out_key("eflags", gi.st.eflags);
	out_key("eax", gi.st.eax);
	out_key("ebx", ebx);
	out_key("esp", gi.st.esp);
	out_key("lsl_lar", gi.lsl_lar);
	out_key("gdtr_base", gi.gdt_base);
	out_key("gdtr_limit", gi.gdt_limit);
	for (unsigned i = 0; i < SEG_COUNT; i++)
		report_seg(&gi.seg[i]);
	out_key("fs_sel", gi.st.fs);
	out_key("gs_sel", gi.st.gs);
	out_key("a20", (uint32_t)gi.a20);

	out_key("start_info", ebx);
	out_key("start_info_align", ebx ? (ebx & -ebx) : 0);
	if (si) {
		out_key("magic", si->magic);
		out_key("version", si->version);
		out_key("flags", si->flags);
		out_key("nr_modules", si->nr_modules);
		out_key("modlist_paddr", si->modlist_paddr);
		out_key("cmdline_paddr", si->cmdline_paddr);
		out_key("rsdp_paddr", si->rsdp_paddr);
		if (si->version >= 1) {
			out_key("memmap_paddr", si->memmap_paddr);
			out_key("memmap_entries", si->memmap_entries);
			out_key("reserved", si->reserved);
		}
	}
	if (gi.memmap) {
		for (uint32_t i = 0; i < si->memmap_entries && i < MEMMAP_PRINT_MAX; i++) {
			const struct hvm_memmap_table_entry *e = &gi.memmap[i];
			uint64_t v[4] = { e->addr, e->size, e->type, e->reserved };
			out_list("memmap", i, v, 4);
		}
	}
	if (gi.cmdline) {
		out_key("cmdline_len", gi.cmdline_len);
		out_key("cmdline_terminated", gi.cmdline_terminated);
		out_bytes_hex("cmdline_hex", gi.cmdline, gi.cmdline_len);
	}
	if (gi.mods) {
		for (uint32_t i = 0; i < si->nr_modules && i < MODULES_PRINT_MAX; i++) {
			const struct hvm_modlist_entry *m = &gi.mods[i];
			const void *data = phys(m->paddr, m->size);
			uint64_t v[5] = { m->paddr, m->size, m->cmdline_paddr,
					  m->reserved, data ? crc32(data, m->size) : 0 };
			out_list("module", i, v, data ? 5 : 4);
			const char *mc = phys(m->cmdline_paddr, 1);
			if (mc) {
				uint32_t n = 0;
				while (n < CMDLINE_SCAN_MAX && mc[n])
					n++;
				out_str("module.");
				out_dec(i);
				out_bytes_hex(".cmdline_hex", mc, n);
			}
		}
	}
	out_key("rsdp_first", gi.rsdp_first);
	out_key("rsdp_count", gi.rsdp_count);
	if (gi.rsdp) {
		out_key("rsdp_sig_ok", gi.rsdp_sig_ok);
		out_key("rsdp_sum_ok", gi.rsdp_sum_ok);
		out_key("rsdp_rev", gi.rsdp_rev);
	}
	out_key("fw_cfg", gi.fw_cfg);
	if (gi.fw_cfg) {
		out_key("fw_cfg.id", gi.fw_id);
		out_key("fw_cfg.kernel_addr", gi.fw_kernel_addr);
		out_key("fw_cfg.kernel_size", gi.fw_kernel_size);
		out_key("fw_cfg.initrd_addr", gi.fw_initrd_addr);
		out_key("fw_cfg.initrd_size", gi.fw_initrd_size);
		out_key("fw_cfg.kernel_entry", gi.fw_kernel_entry);
		out_key("fw_cfg.cmdline_size", gi.fw_cmdline_size);
		out_key("fw_cfg.nb_cpus", gi.fw_nb_cpus);
	}
	out_str("complete=1\nPVHGUEST END\n");
}

void guest_main(void);
__attribute__((noreturn)) void guest_main(void)
{
	/* First: is memory as the loader left it?  Nothing has written it yet. */
	gi.bss_zero = mem_is_zero(__bss_start, (size_t)(__bss_end - __bss_start)) &&
		      mem_is_zero(__bigbss_start, (size_t)(__bigbss_end - __bigbss_start));
	gi.bss_size = (uint32_t)(__bss_end - __bss_start) +
		      (uint32_t)(__bigbss_end - __bigbss_start);
	gi.data_ok = data_canary == 0x600dda7a;
	gi.st = entry_state;
	gi.gdt_limit = gi.st.gdtr[0] | gi.st.gdtr[1] << 8;
	gi.gdt_base = gi.st.gdtr[2] | gi.st.gdtr[3] << 8 | gi.st.gdtr[4] << 16 |
		      (uint32_t)gi.st.gdtr[5] << 24;

	idt_setup();
	gi.lsl_lar = !on_kvm();
	decode_seg(&gi.seg[SEG_CS], "cs", gi.st.cs);
	decode_seg(&gi.seg[SEG_DS], "ds", gi.st.ds);
	decode_seg(&gi.seg[SEG_ES], "es", gi.st.es);
	decode_seg(&gi.seg[SEG_SS], "ss", gi.st.ss);
	decode_seg(&gi.seg[SEG_TR], "tr", gi.st.tr);
	probe_segments();
	gi.a20 = a20_enabled();
	read_start_info();
	read_fw_cfg();

	gi.boot = 1;
	const char *cl = gi.cmdline_terminated ? gi.cmdline : NULL;
	if (cmdline_has_word(cl, "dirty-reboot")) {
		if (cmos_read(CMOS_MARK) != CMOS_MARK_DIRTY)
			dirty_and_reset();
		cmos_write(CMOS_MARK, 0);
		gi.boot = 2;
	}
	unsigned problems = 0;
	if (cmdline_has_word(cl, "pvh.demo")) {
		serial_init();
		out_set(SINK_SERIAL);
		problems = demo_print(&gi);
		out_set(SINK_DEBUG);
	}
	report();
	guest_exit(problems ? EXIT_DEMO_PROBLEMS : EXIT_REPORT_DONE);
}
