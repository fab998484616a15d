// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The assertion macro of the host unit tests (common_test.c, elf_test.c):
 * CHECK(cond, printf-style message) counts the check and, when cond is
 * false, counts a failure and prints "FAIL file:line: message" on stderr
 * without stopping, so that one run lists every failing check.  The test's
 * main() reports `checks` and `failures` and exits non-zero on a failure.
 */
#ifndef PVH_TESTS_UNIT_CHECK_H
#define PVH_TESTS_UNIT_CHECK_H

#include <stdio.h>

static unsigned failures, checks;

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		checks++;                                                    \
		if (!(cond)) {                                               \
			failures++;                                          \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)

#endif
