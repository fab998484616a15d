// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>
#include "acpi.h"

/* "RSD PTR " as two little-endian words. */
#define RSDP_SIGNATURE_LO 0x20445352u /* "RSD " */
#define RSDP_SIGNATURE_HI 0x20525450u /* "PTR " */
#define RSDP_REVISION_OFFSET 15
#define RSDP_LENGTH_OFFSET 20

static uint32_t load_le32(const uint8_t *p)
{
	uint32_t v;
	__builtin_memcpy(&v, p, sizeof(v)); /* x86: already little-endian */
	return v;
}

/* One copy for both checksums; n > 0. */
__attribute__((noinline)) static bool sums_to_zero(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	do
		s = (uint8_t)(s + *p++);
	while (--n);
	return s == 0;
}

/* p holds at least RSDP_V1_LENGTH of avail readable bytes. */
static bool is_rsdp(const uint8_t *p, uint32_t avail)
{
	if (load_le32(p + 4) != RSDP_SIGNATURE_HI || !sums_to_zero(p, RSDP_V1_LENGTH))
		return false;
	if (p[RSDP_REVISION_OFFSET] < 2)
		return true;
	if (avail < RSDP_V2_MIN_LENGTH)
		return false;
	uint32_t length = load_le32(p + RSDP_LENGTH_OFFSET);
	return length >= RSDP_V2_MIN_LENGTH && length <= RSDP_MAX_LENGTH &&
	       length <= avail && sums_to_zero(p, length);
}

/*
 * The loop reads one word per candidate: under software KVM (kvm_pvm) the
 * ROM's code is emulated an instruction at a time, and this loop is most
 * of the ROM's time there (some 5,500 candidates below SeaBIOS's RSDP).
 */
const uint8_t *rsdp_scan(const uint8_t *start, uint32_t len)
{
	if (len < RSDP_V1_LENGTH)
		return 0;
	/* The last place an RSDP can start; the test at the loop's end
	 * leaves five instructions per candidate. */
	const uint8_t *p = start, *last = start + (len - RSDP_V1_LENGTH);
	do {
		if (load_le32(p) == RSDP_SIGNATURE_LO &&
		    is_rsdp(p, (uint32_t)(last - p) + RSDP_V1_LENGTH))
			return p;
		p += RSDP_ALIGN;
	} while (p <= last);
	return 0;
}
