// SPDX-License-Identifier: GPL-2.0
/*
 * pattern: fills MIB MiB of anonymous memory, allocated on NUMA node NODE, with a pattern
 * derived from each word's offset, then answers commands read from stdin, one per line:
 *   verify           checks every word; prints "verified BYTES mismatches N"
 *   inrange PFN NR   prints "inrange N": pages of the buffer whose frame lies in
 *                    [PFN, PFN + NR) (from /proc/self/pagemap; needs root)
 *   quit             exits
 * It prints "filled BYTES" when the buffer is written. Exits 1 on any error, 2 on a mismatch
 * at "quit". Static, no libnuma: the guest has busybox only.
 * Usage: pattern NODE MIB
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MPOL_BIND 2
#define PAGE 4096UL

static uint64_t word(uint64_t i)
{
	return (i + 1) * 0x9e3779b97f4a7c15ULL ^ 0x5a5aa5a5c3c33c3cULL;
}

static long inrange(const char *buf, size_t bytes, uint64_t pfn, uint64_t nr)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	long n = 0;

	if (fd < 0)
		return -1;
	for (size_t off = 0; off < bytes; off += PAGE) {
		uint64_t e;
		off_t pos = (off_t)((uintptr_t)(buf + off) / PAGE * sizeof(e));

		if (pread(fd, &e, sizeof(e), pos) != sizeof(e)) {
			n = -1;
			break;
		}
		if ((e >> 63) && (e & ((1ULL << 55) - 1)) - pfn < nr)
			n++;
	}
	close(fd);
	return n;
}

int main(int argc, char **argv)
{
	unsigned long mask, mib;
	uint64_t *p, words, bad = 0;
	char line[128];
	size_t bytes;
	int node;

	if (argc != 3) {
		fprintf(stderr, "usage: pattern NODE MIB\n");
		return 1;
	}
	node = atoi(argv[1]);
	mib = strtoul(argv[2], NULL, 0);
	bytes = mib << 20;
	words = bytes / sizeof(*p);
	mask = 1UL << node;
	if (syscall(SYS_set_mempolicy, MPOL_BIND, &mask, sizeof(mask) * 8)) {
		perror("set_mempolicy");
		return 1;
	}
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (uint64_t i = 0; i < words; i++)
		p[i] = word(i);
	printf("filled %zu\n", bytes);
	fflush(stdout);

	while (fgets(line, sizeof(line), stdin)) {
		unsigned long long pfn, nr;

		if (!strcmp(line, "verify\n")) {
			bad = 0;
			for (uint64_t i = 0; i < words; i++)
				bad += p[i] != word(i);
			printf("verified %zu mismatches %llu\n", bytes, (unsigned long long)bad);
		} else if (sscanf(line, "inrange %llu %llu", &pfn, &nr) == 2) {
			printf("inrange %ld\n", inrange((char *)p, bytes, pfn, nr));
		} else if (!strcmp(line, "quit\n")) {
			break;
		} else {
			printf("error: unknown command %s", line);
		}
		fflush(stdout);
	}
	return bad ? 2 : 0;
}
