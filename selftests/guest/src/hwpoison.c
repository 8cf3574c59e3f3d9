// SPDX-License-Identifier: GPL-2.0
/*
 * Poisons one page of boot memory the way memory_failure() does after an uncorrectable
 * error: an anonymous page of this process, with madvise(MADV_HWPOISON) (needs
 * CONFIG_MEMORY_FAILURE and CAP_SYS_ADMIN). The kernel takes the page out of use for good
 * and counts it in /proc/meminfo's HardwareCorrupted. Usage: hwpoison
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif

int main(void)
{
	long size = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("hwpoison: mmap");
		return 1;
	}
	memset(p, 0x5a, size);
	if (madvise(p, size, MADV_HWPOISON)) {
		perror("hwpoison: madvise(MADV_HWPOISON)");
		return 1;
	}
	return 0;
}
