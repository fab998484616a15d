// SPDX-License-Identifier: GPL-2.0-or-later
/* PVH test guest: text output, exit, and the few library routines it needs. */
#include "guest.h"

#define DEBUG_PORT 0x402   /* QEMU isa-debugcon: the report */
#define COM1 0x3f8         /* 16550 UART: the demo summary */
#define EXIT_PORT 0xf4     /* QEMU isa-debug-exit */
#define ACPI_PM1A_CNT 0x604 /* SeaBIOS puts the PM block at 0x600 (pc, q35) */

static enum sink sink = SINK_DEBUG;

void out_set(enum sink s)
{
	sink = s;
}

void serial_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* divisor latch */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0x07); /* FIFO on, cleared */
	outb(COM1 + 4, 0x03); /* DTR, RTS */
}

void out_char(char c)
{
	if (sink == SINK_DEBUG) {
		outb(DEBUG_PORT, (uint8_t)c);
		return;
	}
	if (c == '\n')
		out_char('\r');
	for (unsigned spin = 0; spin < 100000; spin++)
		if (inb(COM1 + 5) & 0x20) /* transmitter holding register empty */
			break;
	outb(COM1, (uint8_t)c);
}

void out_str(const char *s)
{
	while (*s)
		out_char(*s++);
}

void out_hex_pad(uint64_t v, unsigned digits)
{
	while (digits--)
		out_char("0123456789abcdef"[(v >> (4 * digits)) & 15]);
}

void out_hex(uint64_t v)
{
	unsigned digits = 1;

	while (digits < 16 && (v >> (4 * digits)))
		digits++;
	out_str("0x");
	out_hex_pad(v, digits);
}

void out_dec(uint32_t v)
{
	char buf[11];
	unsigned n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		out_char(buf[--n]);
}

void out_key2(const char *prefix, const char *key, uint64_t v)
{
	out_str(prefix);
	out_str(key);
	out_char('=');
	out_hex(v);
	out_char('\n');
}

void out_key(const char *key, uint64_t v)
{
	out_key2("", key, v);
}

void guest_exit(uint32_t code)
{
	outl(EXIT_PORT, code);
	/* No isa-debug-exit device: power off through ACPI (S5 is type 0). */
	outw(ACPI_PM1A_CNT, 0x2000);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void *memset(void *d, int c, size_t n)
{
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return d;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

bool mem_is_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* CRC-32 as zlib computes it: reflected polynomial 0xEDB88320. */
uint32_t crc32(const void *p, size_t n)
{
	static uint32_t table[256];
	const uint8_t *b = p;
	uint32_t crc = 0xffffffffu;

	if (!table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = (c >> 1) ^ (c & 1 ? 0xedb88320u : 0);
			table[i] = c;
		}
	}
	for (size_t i = 0; i < n; i++)
		crc = table[(crc ^ b[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* Is word one of the space-separated words of cmdline? */
bool cmdline_has_word(const char *cmdline, const char *word)
{
	size_t wl = strlen(word);
	const char *p = cmdline;

	if (!p)
		return false;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *start = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - start) == wl) {
			size_t i = 0;
			while (i < wl && start[i] == word[i])
				i++;
			if (i == wl)
				return true;
		}
	}
	return false;
}
