/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The handful of QEMU TCG plugin API declarations memaudit.c uses, written
 * from the plugin ABI of QEMU 7.2 (API version 1; where version 2 of QEMU
 * 9.0 and later differs, memaudit.c says so).  Only what is needed here;
 * every handle is opaque.  QEMU resolves these symbols from its own binary
 * when it dlopen()s the plugin.
 */
#ifndef MEMAUDIT_PLUGIN_API_H
#define MEMAUDIT_PLUGIN_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLUGIN_EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
typedef uint32_t qemu_plugin_meminfo_t;	/* packed size/sign/endian/store */

struct qemu_plugin_tb;			/* opaque */
struct qemu_plugin_insn;		/* opaque */
struct qemu_plugin_hwaddr;		/* opaque */

/* What QEMU tells the plugin at install time. */
typedef struct qemu_info_t {
	const char *target_name;
	struct { int min, cur; } version;
	bool system_emulation;
	union {
		struct { int smp_vcpus, max_vcpus; } system;
	};
} qemu_info_t;

enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS = 0 };
enum qemu_plugin_mem_rw {
	QEMU_PLUGIN_MEM_R = 1,
	QEMU_PLUGIN_MEM_W = 2,
	QEMU_PLUGIN_MEM_RW = 3,
};

typedef void (*plugin_tb_trans_fn)(qemu_plugin_id_t, struct qemu_plugin_tb *);
typedef void (*plugin_mem_fn)(unsigned int vcpu, qemu_plugin_meminfo_t info,
			      uint64_t vaddr, void *udata);
typedef void (*plugin_udata_fn)(qemu_plugin_id_t, void *udata);
typedef void (*plugin_vcpu_udata_fn)(unsigned int vcpu, void *udata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t, plugin_tb_trans_fn);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *, size_t);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *);
/* Version 1; version 2 has size_t (insn, void *dest, size_t len): memaudit.c. */
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *, plugin_vcpu_udata_fn,
					    enum qemu_plugin_cb_flags, void *udata);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *, plugin_mem_fn,
				      enum qemu_plugin_cb_flags,
				      enum qemu_plugin_mem_rw, void *udata);
unsigned int qemu_plugin_mem_size_shift(qemu_plugin_meminfo_t);
bool qemu_plugin_mem_is_store(qemu_plugin_meminfo_t);
struct qemu_plugin_hwaddr *qemu_plugin_get_hwaddr(qemu_plugin_meminfo_t, uint64_t vaddr);
uint64_t qemu_plugin_hwaddr_phys_addr(const struct qemu_plugin_hwaddr *);
bool qemu_plugin_hwaddr_is_io(const struct qemu_plugin_hwaddr *);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t, plugin_udata_fn, void *udata);
void qemu_plugin_outs(const char *);

#endif
