// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `pvh.demo` on the command line: a readable summary on COM1 of what the
 * guest received, with a verdict on each point of the PVH entry ABI.
 */
#include "guest.h"

static unsigned problems;

static void line(const char *label)
{
	out_str("  ");
	out_str(label);
	for (size_t n = strlen(label); n < 14; n++)
		out_char(' ');
}

static void verdict(bool ok, const char *what)
{
	if (ok) {
		out_str("  ok\n");
		return;
	}
	out_str("  <-- NOT PER ABI: ");
	out_str(what);
	out_char('\n');
	problems++;
}

static void hex32(uint32_t v)
{
	out_str("0x");
	out_hex_pad(v, 8);
}

static void hex64(uint64_t v)
{
	out_str("0x");
	out_hex_pad(v, 16);
}

static void seg(const struct seg_info *s, bool code)
{
	line(s->name);
	out_str("sel ");
	out_hex_pad(s->sel, 4);
	if (!s->in_gdt) {
		verdict(false, "not a GDT descriptor");
		return;
	}
	out_str(" base ");
	hex32(s->base);
	out_str(" limit ");
	hex32(s->limit);
	out_str(code ? " code" : " data");
	out_str(s->flags & 4 ? " 32-bit" : " 16-bit");
	bool type_ok = code ? (s->access & 0x1a) == 0x1a : (s->access & 0x1a) == 0x12;
	verdict(s->base == 0 && s->limit == 0xffffffffu && (s->flags & 4) &&
		(s->access & 0x80) && type_ok && s->probe == 1,
		code ? "want 32-bit code, base 0, 4 GiB" : "want 32-bit data, base 0, 4 GiB");
}

static const char *e820_name(uint32_t type)
{
	static const char *const names[] = { "?", "RAM", "reserved", "ACPI",
					     "ACPI NVS", "unusable", "disabled",
					     "persistent" };
	return type < 8 ? names[type] : "?";
}

static void quoted(const char *s, uint32_t n)
{
	out_char('"');
	for (uint32_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			out_char(c);
		} else {
			out_str("\\x");
			out_hex_pad((uint8_t)c, 2);
		}
	}
	out_char('"');
}

unsigned demo_print(const struct guest_info *gi)
{
	const struct entry_state *st = &gi->st;
	const struct hvm_start_info *si = gi->si;

	problems = 0;
	out_str("\n==== PVH test guest (");
	out_str(guest_variant);
	out_str(") entered at ");
	hex32((uint32_t)_start);
	out_str(" ====\nEntry state:\n");
	line("CR0");
	hex32(st->cr0);
	verdict(st->cr0 == 0x11, "want 0x00000011 (PE, ET)");
	line("CR4");
	hex32(st->cr4);
	verdict(st->cr4 == 0, "want 0");
	line("EFLAGS");
	hex32(st->eflags);
	verdict(!(st->eflags & 0x20300), "IF, TF and VM must be clear");
	seg(&gi->seg[SEG_CS], true);
	seg(&gi->seg[SEG_DS], false);
	seg(&gi->seg[SEG_ES], false);
	seg(&gi->seg[SEG_SS], false);
	const struct seg_info *tr = &gi->seg[SEG_TR];
	line("TR");
	out_str("sel ");
	out_hex_pad(tr->sel, 4);
	if (tr->in_gdt) {
		out_str(" base ");
		hex32(tr->base);
		out_str(" limit ");
		hex32(tr->limit);
		out_str((tr->access & 0x1f) == 0x0b ? " busy 32-bit TSS" : " not a busy TSS");
	}
	verdict(tr->in_gdt && tr->base == 0 && tr->limit == 0x67 &&
		(tr->access & 0x9f) == 0x8b, "want a busy 32-bit TSS, base 0, limit 0x67");
	line("A20");
	out_str(gi->a20 ? "on" : "off");
	verdict(gi->a20, "A20 must be on");
	line("EBX");
	hex32(st->ebx);
	verdict(st->ebx && !(st->ebx & 7), "want start_info, 8-byte aligned");

	if (!si || !gi->si_magic_ok) {
		out_str("start_info: missing or bad magic\n");
		problems++;
		goto done;
	}
	out_str("start_info:\n");
	line("magic");
	hex32(si->magic);
	out_str("  version ");
	out_dec(si->version);
	out_str("  flags ");
	hex32(si->flags);
	verdict(si->version >= 1 && si->flags == 0 && si->reserved == 0,
		"want version 1, flags 0, reserved 0");
	line("RSDP");
	hex64(si->rsdp_paddr);
	if (gi->rsdp) {
		out_str("  ACPI rev ");
		out_dec(gi->rsdp_rev);
	}
	verdict(gi->rsdp && gi->rsdp_sig_ok && gi->rsdp_sum_ok, "no valid RSDP");

	out_str("Memory map (");
	out_dec(si->memmap_entries);
	out_str(" entries at ");
	hex64(si->memmap_paddr);
	out_str("):\n");
	for (uint32_t i = 0; gi->memmap && i < si->memmap_entries && i < MEMMAP_PRINT_MAX; i++) {
		const struct hvm_memmap_table_entry *e = &gi->memmap[i];
		out_str("  ");
		hex64(e->addr);
		out_str(" - ");
		hex64(e->addr + e->size - 1);
		out_str("  ");
		out_str(e820_name(e->type));
		if (e->reserved) {
			out_str("  reserved field ");
			hex32(e->reserved);
		}
		out_char('\n');
	}
	line("entries");
	out_dec(si->memmap_entries);
	verdict(gi->memmap && si->memmap_entries && si->memmap_entries <= 127,
		"want 1 to 127 readable entries");

	out_str("Command line: ");
	if (!gi->cmdline) {
		out_str("none\n");
	} else {
		out_dec(gi->cmdline_len);
		out_str(" bytes at ");
		hex64(si->cmdline_paddr);
		out_str("\n  ");
		quoted(gi->cmdline, gi->cmdline_len < 2000 ? gi->cmdline_len : 2000);
		out_str(gi->cmdline_len < 2000 ? "\n" : "...\n");
	}

	out_str("Modules: ");
	out_dec(si->nr_modules);
	out_str(" (list at ");
	hex64(si->modlist_paddr);
	out_str(")\n");
	for (uint32_t i = 0; gi->mods && i < si->nr_modules && i < MODULES_PRINT_MAX; i++) {
		const struct hvm_modlist_entry *m = &gi->mods[i];
		const void *data = phys(m->paddr, m->size);
		out_str("  ");
		out_dec(i);
		out_str(": ");
		hex64(m->paddr);
		out_str(", ");
		out_dec((uint32_t)m->size);
		out_str(" bytes");
		if (data) {
			out_str(", crc32 ");
			hex32(crc32(data, m->size));
		}
		out_char('\n');
	}
done:
	if (problems) {
		out_str("==== ABI problems: ");
		out_dec(problems);
		out_str(" ====\n");
	} else {
		out_str("==== everything per the PVH ABI ====\n");
	}
	return problems;
}
