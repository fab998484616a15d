// SPDX-License-Identifier: GPL-2.0-or-later
#include "acpi.h"

static const char rsdp_signature[8] = { 'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ' };
#define RSDP_REVISION_OFFSET 15
#define RSDP_LENGTH_OFFSET 20

static uint8_t byte_sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

bool rsdp_is_valid(const uint8_t *p, uint32_t avail)
{
	if (avail < RSDP_V1_LENGTH)
		return false;
	for (unsigned i = 0; i < sizeof(rsdp_signature); i++)
		if (p[i] != (uint8_t)rsdp_signature[i])
			return false;
	if (byte_sum(p, RSDP_V1_LENGTH) != 0)
		return false;
	if (p[RSDP_REVISION_OFFSET] < 2)
		return true;
	if (avail < RSDP_V2_MIN_LENGTH)
		return false;
	uint32_t length = (uint32_t)p[RSDP_LENGTH_OFFSET] |
			  (uint32_t)p[RSDP_LENGTH_OFFSET + 1] << 8 |
			  (uint32_t)p[RSDP_LENGTH_OFFSET + 2] << 16 |
			  (uint32_t)p[RSDP_LENGTH_OFFSET + 3] << 24;
	if (length < RSDP_V2_MIN_LENGTH || length > RSDP_MAX_LENGTH || length > avail)
		return false;
	return byte_sum(p, length) == 0;
}

const uint8_t *rsdp_scan(const uint8_t *start, uint32_t len)
{
	/* "RSD " as a little-endian word: one compare per candidate. */
	const uint32_t rsd = 0x20445352u;

	for (uint32_t off = 0; off + RSDP_V1_LENGTH <= len; off += RSDP_ALIGN) {
		uint32_t w;
		__builtin_memcpy(&w, start + off, sizeof(w));
		if (w == rsd && rsdp_is_valid(start + off, len - off))
			return start + off;
	}
	return 0;
}
