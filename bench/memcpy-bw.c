// SPDX-License-Identifier: GPL-2.0-or-later
//
// The host's memory bandwidth, the physical limit for a firmware that moves
// a kernel or an initrd with fw_cfg DMA (QEMU does one memcpy from its copy
// of the file into guest RAM, or one memset for a zero fill).
//
//   memcpy-bw [MIB [REPEATS]]
//
// Prints key=value lines, bandwidths in MB/s (10^6 bytes per second):
//   memcpy_warm   memcpy into memory already touched (best of REPEATS)
//   memcpy_fresh  memcpy into freshly mapped memory (first touch: page faults,
//                 as a first load into guest RAM pays), median of REPEATS
//   memset_warm, memset_fresh  the same for a zero fill
// Fresh mappings get MADV_HUGEPAGE, as QEMU gives its guest RAM.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
#ifdef MADV_HUGEPAGE
	madvise(p, len, MADV_HUGEPAGE);
#endif
	return p;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

// Keeps the compiler from dropping a copy whose result is never read.
static volatile uint8_t sink;

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 256;
	int repeats = argc > 2 ? atoi(argv[2]) : 5;
	size_t len = mib << 20;
	double mb = (double)len / 1e6;
	double warm_cpy = 0, warm_set = 0;
	double fresh_cpy[64], fresh_set[64];

	if (mib == 0 || repeats < 1 || repeats > 64) {
		fprintf(stderr, "usage: memcpy-bw [MIB [REPEATS (1-64)]]\n");
		return 2;
	}
	uint8_t *src = map(len);
	for (size_t i = 0; i < len; i++)
		src[i] = (uint8_t)(i * 131 + 7);

	uint8_t *dst = map(len);
	memset(dst, 1, len);
	for (int r = 0; r < repeats; r++) {
		double t = now();
		memcpy(dst, src, len);
		t = now() - t;
		sink = dst[len / 3];
		if (mb / t > warm_cpy)
			warm_cpy = mb / t;
		t = now();
		memset(dst, 0, len);
		t = now() - t;
		sink = dst[len / 5];
		if (mb / t > warm_set)
			warm_set = mb / t;
	}
	munmap(dst, len);

	for (int r = 0; r < repeats; r++) {
		dst = map(len);
		double t = now();
		memcpy(dst, src, len);
		t = now() - t;
		sink = dst[len / 3];
		fresh_cpy[r] = mb / t;
		munmap(dst, len);

		dst = map(len);
		t = now();
		memset(dst, 0, len);
		t = now() - t;
		sink = dst[len / 5];
		fresh_set[r] = mb / t;
		munmap(dst, len);
	}
	printf("size_mib=%zu\nrepeats=%d\n", mib, repeats);
	printf("memcpy_warm=%.0f\nmemcpy_fresh=%.0f\n", warm_cpy, median(fresh_cpy, repeats));
	printf("memset_warm=%.0f\nmemset_fresh=%.0f\n", warm_set, median(fresh_set, repeats));
	return 0;
}
