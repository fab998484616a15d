// SPDX-License-Identifier: GPL-2.0-or-later
//
// The host's memory bandwidth, the physical limit for a firmware that moves
// a kernel or an initrd with fw_cfg DMA (QEMU does one memcpy from its copy
// of the file into guest RAM, or one memset for a zero fill).
//
//   memcpy-bw [MIB [REPEATS [FILE]]]
//
// Prints key=value lines, bandwidths in MB/s (10^6 bytes per second):
//   memcpy_warm   memcpy into memory already touched (best of REPEATS)
//   memcpy_fresh  memcpy into freshly mapped memory (first touch: page faults,
//                 as a first load into guest RAM pays), median of REPEATS
//   memset_warm, memset_fresh  the same for a zero fill
// or, with FILE (its first MIB MiB at most), instead the copies QEMU's
// fw_cfg DMA really makes, from where QEMU holds the data, median of REPEATS:
//   memcpy_mapped  from a new read-only mapping of FILE, in the page cache
//                  (how QEMU holds -initrd and -kernel) into fresh memory
//   memcpy_heap    from an anonymous block filled with read(), without
//                  huge-page advice as glibc's malloc leaves it (4 KiB pages
//                  unless transparent huge pages are "always"), into fresh
//                  memory: how QEMU holds -fw_cfg file= (g_file_get_contents)
// Fresh mappings get MADV_HUGEPAGE, as QEMU gives its guest RAM.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

// Keeps the compiler from dropping a copy whose result is never read.
static volatile uint8_t sink;

// A new anonymous mapping; with huge, advised to use huge pages as QEMU
// advises its guest RAM, else left as glibc's malloc leaves a large block.
static void *map_anon(size_t len, int huge)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
#ifdef MADV_HUGEPAGE
	if (huge)
		madvise(p, len, MADV_HUGEPAGE);
#endif
	return p;
}

static void *map(size_t len)
{
	return map_anon(len, 1);
}

// A block as malloc makes a large one, untouched until read() fills it.
static uint8_t *read_into_heap(int fd, size_t len)
{
	uint8_t *p = map_anon(len, 0);
	for (size_t done = 0; done < len;) {
		ssize_t n = pread(fd, p + done, len - done, (off_t)done);
		if (n <= 0) {
			perror("read");
			exit(1);
		}
		done += (size_t)n;
	}
	return p;
}

// Copies src into a fresh mapping; MB/s.
static double copy_to_fresh(const uint8_t *src, size_t len)
{
	uint8_t *dst = map(len);
	double t = now();
	memcpy(dst, src, len);
	t = now() - t;
	sink = dst[len / 3];
	munmap(dst, len);
	return (double)len / 1e6 / t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// memcpy and memset into touched and into fresh memory.
static void measure_plain(size_t len, int repeats)
{
	double mb = (double)len / 1e6;
	double warm_cpy = 0, warm_set = 0, fresh_cpy[64], fresh_set[64];
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
	munmap(src, len);
	printf("memcpy_warm=%.0f\nmemcpy_fresh=%.0f\n", warm_cpy, median(fresh_cpy, repeats));
	printf("memset_warm=%.0f\nmemset_fresh=%.0f\n", warm_set, median(fresh_set, repeats));
}

// The copies of FILE's first len bytes (at most) from where QEMU holds it.
static int measure_file(const char *file, size_t len, int repeats)
{
	double mapped[64], heap[64];
	int fd = open(file, O_RDONLY);
	off_t end = fd < 0 ? -1 : lseek(fd, 0, SEEK_END);
	if (end <= 0) {
		perror(file);
		return 1;
	}
	size_t flen = (size_t)end < len ? (size_t)end : len;
	uint8_t *warmup = read_into_heap(fd, flen);  // brings FILE into the page cache
	munmap(warmup, flen);
	for (int r = 0; r < repeats; r++) {
		uint8_t *m = mmap(NULL, flen, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		mapped[r] = copy_to_fresh(m, flen);
		munmap(m, flen);
		uint8_t *h = read_into_heap(fd, flen);
		heap[r] = copy_to_fresh(h, flen);
		munmap(h, flen);
	}
	close(fd);
	printf("file_mib=%.1f\n", (double)flen / (1 << 20));
	printf("memcpy_mapped=%.0f\nmemcpy_heap=%.0f\n", median(mapped, repeats),
	       median(heap, repeats));
	return 0;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 256;
	int repeats = argc > 2 ? atoi(argv[2]) : 5;
	const char *file = argc > 3 ? argv[3] : NULL;

	if (mib == 0 || repeats < 1 || repeats > 64) {
		fprintf(stderr, "usage: memcpy-bw [MIB [REPEATS (1-64) [FILE]]]\n");
		return 2;
	}
	printf("size_mib=%zu\nrepeats=%d\n", mib, repeats);
	if (file)
		return measure_file(file, mib << 20, repeats);
	measure_plain(mib << 20, repeats);
	return 0;
}
