// SPDX-License-Identifier: GPL-2.0-or-later
//
// /init of the test initramfs: reports what the booted Linux kernel sees,
// one "PVHINIT key=value" line each, on /dev/console, then powers off
// (QEMU started with -no-reboot exits).
//
//   PVHINIT start
//   PVHINIT cmdline=<contents of /proc/cmdline, without the final newline>
//   PVHINIT memtotal_kb=<MemTotal from /proc/meminfo>
//   PVHINIT cpus=<number of online CPUs, from /sys/devices/system/cpu/online>
//   PVHINIT acpi=<1 if /sys/firmware/acpi/tables exists, else 0>
//   PVHINIT acpi_tables=<comma-separated table names in that directory>
//   PVHINIT payload_size=<bytes of /payload.bin>
//   PVHINIT payload_crc32=<CRC-32 (as zlib.crc32) of /payload.bin, 8 hex digits>
//   PVHINIT done
//
// A value that cannot be read is reported as "error:<what>" so the test
// shows the reason.  Built static: it is the only program in the initramfs.

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

static int console_fd = 2;

// One report line, written with a single write() so that it is not split.
static void report(const char *fmt, ...)
{
	static char line[16384];
	va_list ap;
	int n;

	memcpy(line, "PVHINIT ", 8);
	va_start(ap, fmt);
	n = vsnprintf(line + 8, sizeof(line) - 9, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	n += 8;
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	line[n++] = '\n';
	for (int off = 0; off < n;) {
		ssize_t w = write(console_fd, line + off, (size_t)(n - off));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (int)w;
	}
}

// Reads a whole (small) file into buf, NUL-terminated; returns its length
// or -1 with errno set.
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;

	if (fd < 0)
		return -1;
	while (len < size - 1) {
		ssize_t r = read(fd, buf + len, size - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

static void mount_fs(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) != 0 && errno != EBUSY)
		report("warning=mount %s on %s: %s", type, dir, strerror(errno));
}

static void report_cmdline(void)
{
	static char buf[8192];
	ssize_t len = read_file("/proc/cmdline", buf, sizeof(buf));

	if (len < 0) {
		report("cmdline=error:/proc/cmdline: %s", strerror(errno));
		return;
	}
	if (len > 0 && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	report("cmdline=%s", buf);
}

static void report_memtotal(void)
{
	static char buf[8192];
	const char *p;
	unsigned long long kb;

	if (read_file("/proc/meminfo", buf, sizeof(buf)) < 0) {
		report("memtotal_kb=error:/proc/meminfo: %s", strerror(errno));
		return;
	}
	p = strstr(buf, "MemTotal:");
	if (!p || sscanf(p, "MemTotal: %llu kB", &kb) != 1) {
		report("memtotal_kb=error:no MemTotal line");
		return;
	}
	report("memtotal_kb=%llu", kb);
}

// /sys/devices/system/cpu/online is a list of ranges: "0", "0-1", "0,2-3".
static void report_cpus(void)
{
	char buf[1024];
	const char *p = buf;
	unsigned long count = 0;

	if (read_file("/sys/devices/system/cpu/online", buf, sizeof(buf)) < 0) {
		report("cpus=error:/sys/devices/system/cpu/online: %s",
		       strerror(errno));
		return;
	}
	while (*p && *p != '\n') {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;

		if (end == p)
			goto bad;
		p = end;
		if (*p == '-') {
			hi = strtoul(p + 1, &end, 10);
			if (end == p + 1 || hi < lo)
				goto bad;
			p = end;
		}
		count += hi - lo + 1;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			goto bad;
	}
	report("cpus=%lu", count);
	return;
bad:
	report("cpus=error:cannot parse '%s'", buf);
}

static void report_acpi(void)
{
	static char names[4096];
	size_t len = 0;
	DIR *d = opendir("/sys/firmware/acpi/tables");
	struct dirent *e;

	if (!d) {
		report("acpi=0");
		report("acpi_tables=");
		return;
	}
	names[0] = '\0';
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		// Table files only: skip ".", "..", and the "data"/"dynamic" dirs.
		if (e->d_name[0] == '.' || e->d_type == DT_DIR)
			continue;
		if (len + n + 2 > sizeof(names))
			break;
		if (len)
			names[len++] = ',';
		memcpy(names + len, e->d_name, n + 1);
		len += n;
	}
	closedir(d);
	report("acpi=1");
	report("acpi_tables=%s", names);
}

// CRC-32 as in zlib/PNG/Ethernet: reflected polynomial 0xEDB88320,
// initial value and final XOR 0xFFFFFFFF.
static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
	static uint32_t table[256];

	if (!table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
			table[i] = c;
		}
	}
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void report_payload(void)
{
	static unsigned char buf[1 << 16];
	int fd = open("/payload.bin", O_RDONLY | O_CLOEXEC);
	uint32_t crc = 0;
	unsigned long long size = 0;

	if (fd < 0) {
		report("payload_size=error:/payload.bin: %s", strerror(errno));
		report("payload_crc32=error:/payload.bin: %s", strerror(errno));
		return;
	}
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			report("payload_crc32=error:read: %s", strerror(errno));
			close(fd);
			return;
		}
		if (r == 0)
			break;
		crc = crc32_update(crc, buf, (size_t)r);
		size += (unsigned long long)r;
	}
	close(fd);
	report("payload_size=%llu", size);
	report("payload_crc32=%08x", crc);
}

int main(void)
{
	int fd;

	// The kernel opened /dev/console for us when the initramfs had one;
	// open it again ourselves in case it did not.
	mkdir("/dev", 0755);
	fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		mount_fs("devtmpfs", "/dev");
		fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	}
	if (fd >= 0)
		console_fd = fd;

	report("start");
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");

	report_cmdline();
	report_memtotal();
	report_cpus();
	report_acpi();
	report_payload();
	report("done");

	sync();
	reboot(RB_POWER_OFF);
	// Still here: say so; returning from init would panic the kernel.
	report("error=reboot(RB_POWER_OFF): %s", strerror(errno));
	for (;;)
		pause();
}
