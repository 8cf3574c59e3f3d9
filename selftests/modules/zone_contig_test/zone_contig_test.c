// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module for the zone->contiguous series; not part of the series.
 *
 * Recomputes, for every zone with a span, what set_zone_contiguous() would
 * set zone->contiguous to -- every pageblock of the span, clipped to the span,
 * has a valid last pfn, an online first pfn in this zone, and both ends in the
 * same zone -- and compares it with zone->contiguous.
 *
 *   /sys/kernel/debug/zone_contig_test/check   read: one KTAP line per zone
 *
 * "not ok" means zone->contiguous differs from a full walk. The module also
 * checks once when it is loaded and logs the result. Read the file while no
 * memory is being onlined, offlined, added or removed: the module cannot take
 * mem_hotplug_lock.
 *
 * Zones without present pages are reported as "# SKIP": at boot the kernel
 * never walks them and leaves them non-contiguous. ZONE_DEVICE is skipped
 * too: nothing but the walk at the time of memremap_pages() defines it.
 */
#include <linux/debugfs.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/seq_file.h>

static struct dentry *zct_dir;

/* Same test as __pageblock_pfn_to_page(), from exported helpers only. */
static bool zct_block_ok(struct zone *zone, unsigned long start,
			 unsigned long end)
{
	struct page *page;

	if (!pfn_valid(end - 1))
		return false;
	page = pfn_to_online_page(start);
	if (!page || page_zone(page) != zone)
		return false;
	return page_zone_id(page) == page_zone_id(pfn_to_page(end - 1));
}

/* Returns the first rejected pfn, or the end of the zone. */
static unsigned long zct_walk(struct zone *zone)
{
	unsigned long end = zone_end_pfn(zone);
	unsigned long pfn, next;

	for (pfn = zone->zone_start_pfn; pfn < end; pfn = next) {
		next = min(ALIGN(pfn + 1, pageblock_nr_pages), end);
		if (!zct_block_ok(zone, pfn, next))
			return pfn;
		cond_resched();
	}
	return end;
}

/* Prints one line per zone; returns the number of mismatches. */
static int zct_check(struct seq_file *m)
{
	int nid, z, n = 0, bad = 0;

	for_each_online_node(nid) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];
			unsigned long hole;
			bool expected;
			char line[160];

			if (!zone->spanned_pages)
				continue;
			n++;
			if (zone_is_zone_device(zone) ||
			    !populated_zone(zone)) {
				snprintf(line, sizeof(line),
					 "ok %d zone %d/%s contiguous=%d # SKIP %s",
					 n, nid, zone->name, zone->contiguous,
					 populated_zone(zone) ? "ZONE_DEVICE" :
					 "no present pages");
			} else {
				hole = zct_walk(zone);
				expected = hole == zone_end_pfn(zone);
				if (expected != zone->contiguous)
					bad++;
				snprintf(line, sizeof(line),
					 "%sok %d zone %d/%s contiguous=%d expected=%d span=%#lx-%#lx first_hole=%#lx",
					 expected == zone->contiguous ? "" : "not ",
					 n, nid, zone->name, zone->contiguous,
					 expected, zone->zone_start_pfn,
					 zone_end_pfn(zone), hole);
			}
			if (m)
				seq_printf(m, "%s\n", line);
			else
				pr_info("%s\n", line);
		}
	}
	if (m)
		seq_printf(m, "# zones %d mismatches %d\n", n, bad);
	else
		pr_info("# zones %d mismatches %d\n", n, bad);
	return bad;
}

static int zct_check_show(struct seq_file *m, void *v)
{
	zct_check(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zct_check);

static int __init zct_init(void)
{
	zct_dir = debugfs_create_dir("zone_contig_test", NULL);
	debugfs_create_file("check", 0400, zct_dir, NULL, &zct_check_fops);
	zct_check(NULL);
	return 0;
}

static void __exit zct_exit(void)
{
	debugfs_remove_recursive(zct_dir);
}

module_init(zct_init);
module_exit(zct_exit);
MODULE_DESCRIPTION("Check zone->contiguous against a full pageblock walk");
MODULE_LICENSE("GPL");
