/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Port I/O.  Each access is a VM exit under KVM: count them. */
#ifndef IO_H
#define IO_H

#include <stdint.h>

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint8_t v, uint16_t port)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t v, uint16_t port)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

/* The memory clobber orders the OUT after stores the device will read. */
static inline void outl(uint32_t v, uint16_t port)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

/* len bytes from port into buf (one string instruction). */
static inline void insb(uint16_t port, void *buf, uint32_t len)
{
	__asm__ volatile("rep insb"
			 : "+D"(buf), "+c"(len)
			 : "d"(port)
			 : "memory");
}

static inline void outsb(uint16_t port, const void *buf, uint32_t len)
{
	__asm__ volatile("rep outsb"
			 : "+S"(buf), "+c"(len)
			 : "d"(port)
			 : "memory");
}

#endif
