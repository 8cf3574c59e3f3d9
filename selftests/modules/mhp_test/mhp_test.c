// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module of the memmap_on_memory bench; not part of the series.
 *
 * Adds and removes memory through the memory hotplug API in the task that
 * writes the debugfs files, so that fault injection scoped to that task
 * (/proc/thread-self/fail-nth) reaches add_memory_resource() and
 * try_remove_memory(), and so that a test can build ranges no driver builds,
 * such as one that mixes blocks with and without a memmap on themselves.
 *
 *   /sys/kernel/debug/mhp_test/add     "START SIZE NID FLAGS"
 *   /sys/kernel/debug/mhp_test/remove  "START SIZE"
 *
 * START and SIZE are hexadecimal, NID and FLAGS decimal. FLAGS: 1 places the
 * memmap on the range itself (MHP_MEMMAP_ON_MEMORY); 2 adds the range as
 * plain "System RAM" with add_memory(), which gives it an entry in the
 * firmware memory map (/sys/firmware/memmap), instead of as driver-managed
 * memory, which has none. A write returns the error of the hotplug call.
 */
#include <linux/debugfs.h>
#include <linux/memory_hotplug.h>
#include <linux/module.h>
#include <linux/uaccess.h>

static struct dentry *mhp_test_dir;

static int mhp_test_parse(const char __user *ubuf, size_t len, char *buf,
			  size_t size)
{
	if (!len || len >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	return 0;
}

static ssize_t mhp_test_add_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	u64 start, size;
	int nid, flags, ret;
	mhp_t mhp_flags;
	char buf[80];

	ret = mhp_test_parse(ubuf, len, buf, sizeof(buf));
	if (ret)
		return ret;
	if (sscanf(buf, "%llx %llx %d %d", &start, &size, &nid, &flags) != 4 ||
	    nid < 0 || nid >= MAX_NUMNODES || flags < 0 || flags > 3)
		return -EINVAL;
	mhp_flags = (flags & 1) ? MHP_MEMMAP_ON_MEMORY : MHP_NONE;
	if (flags & 2)
		ret = add_memory(nid, start, size, mhp_flags);
	else
		ret = add_memory_driver_managed(nid, start, size,
						"System RAM (mhp_test)",
						mhp_flags);
	return ret ? ret : len;
}

static ssize_t mhp_test_remove_write(struct file *file,
				     const char __user *ubuf, size_t len,
				     loff_t *ppos)
{
	u64 start, size;
	char buf[80];
	int ret;

	ret = mhp_test_parse(ubuf, len, buf, sizeof(buf));
	if (ret)
		return ret;
	if (sscanf(buf, "%llx %llx", &start, &size) != 2)
		return -EINVAL;
	ret = remove_memory(start, size);
	return ret ? ret : len;
}

static const struct file_operations mhp_test_add_fops = {
	.owner = THIS_MODULE,
	.write = mhp_test_add_write,
};

static const struct file_operations mhp_test_remove_fops = {
	.owner = THIS_MODULE,
	.write = mhp_test_remove_write,
};

static int __init mhp_test_init(void)
{
	mhp_test_dir = debugfs_create_dir("mhp_test", NULL);
	debugfs_create_file("add", 0200, mhp_test_dir, NULL, &mhp_test_add_fops);
	debugfs_create_file("remove", 0200, mhp_test_dir, NULL,
			    &mhp_test_remove_fops);
	return 0;
}

static void __exit mhp_test_exit(void)
{
	debugfs_remove_recursive(mhp_test_dir);
}

module_init(mhp_test_init);
module_exit(mhp_test_exit);
MODULE_DESCRIPTION("memory hotplug test driver of the memmap_on_memory bench");
MODULE_LICENSE("GPL");
