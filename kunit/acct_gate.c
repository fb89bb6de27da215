// SPDX-License-Identifier: GPL-2.0
/*
 * The accounting gate: a stop after each KUnit case, so that user space can
 * count the live DMA mappings and FOLL_PIN pages between two cases.
 *
 * Nothing in the kernel exports those counts to a module (DMA-API debug's
 * debugfs files refuse kernel_read()), so scripts/guest/kunit.sh reads them
 * from user space. Reloading the module for each case (KUnit's filter_glob)
 * works too, but costs a module load and unload per case on the emulated
 * debug kernel; the gate lets one load run every case.
 *
 * With the module parameter acct_gate=1, each suite's .init calls
 * dmaxfer_kunit_gate() first. That registers a deferred action, which KUnit
 * runs last, after the suite's .exit and every other resource of the case
 * are gone. The action publishes the case in /sys/kernel/debug/dmaxfer_kunit_gate
 * and waits until user space writes its number there (GATE_TIMEOUT at
 * most: then the case fails, and the gate stays open for the cases after
 * it). Reading the file waits up to 100 ms for a case and gives
 * "wait NUMBER SUITE CASE" or "idle". Without acct_gate (the default)
 * nothing waits.
 */
#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "acct_gate.h"
#include "dmaxfer_compat.h"

#define GATE_TIMEOUT	(60 * HZ)

static bool gate_on;
module_param_named(acct_gate, gate_on, bool, 0444);
MODULE_PARM_DESC(acct_gate, "Stop after each case until user space has counted the mappings");

static DEFINE_SPINLOCK(gate_lock);
static DECLARE_WAIT_QUEUE_HEAD(gate_wq);
/* The case waiting at the gate (NULL: none), its number, the answer. */
static const char *gate_suite, *gate_case;
static unsigned int gate_seq;
static bool gate_open;
static struct dentry *gate_file;

struct gate_ctx {
	struct kunit *test;
	const char *suite;
};

static bool gate_released(void)
{
	bool open;

	spin_lock(&gate_lock);
	open = gate_open;
	spin_unlock(&gate_lock);
	return open;
}

static void gate_wait(void *data)
{
	struct gate_ctx *g = data;

	spin_lock(&gate_lock);
	gate_suite = g->suite;
	gate_case = g->test->name;
	gate_seq++;
	gate_open = false;
	spin_unlock(&gate_lock);
	wake_up_all(&gate_wq);
	if (!wait_event_timeout(gate_wq, gate_released(), GATE_TIMEOUT)) {
		spin_lock(&gate_lock);
		gate_case = NULL;
		gate_on = false;
		spin_unlock(&gate_lock);
		KUNIT_FAIL(g->test, "accounting gate: user space did not answer in %d s; gate off",
			   GATE_TIMEOUT / HZ);
	}
}

/**
 * dmaxfer_kunit_gate() - stop after this case for the mapping accounting
 * @test: the case, from its suite's .init (call it first there)
 * @suite: the suite's name
 *
 * Return: 0, or the error of kunit_add_action().
 */
int dmaxfer_kunit_gate(struct kunit *test, const char *suite)
{
	struct gate_ctx *g;

	/*
	 * Linux 6.1 runs a module's suites from the MODULE_STATE_COMING
	 * notifier, before load_module() has parsed the module's parameters
	 * (6.12 runs them once it is LIVE): acct_gate cannot have been set
	 * yet, and gate_init() has not run either. Say so, for kunit.sh to
	 * record the per-case accounting as skipped; the accounting of the
	 * whole load still runs.
	 */
#ifdef MODULE
	if (THIS_MODULE->state == MODULE_STATE_COMING) {
		pr_info_once("dmaxfer_kunit: accounting gate unavailable: KUnit runs this module's suites before its parameters are parsed (MODULE_STATE_COMING)\n");
		return 0;
	}
#endif
	if (!gate_on)
		return 0;
	g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->test = test;
	g->suite = suite;
	/* Registered first, so run last: after every other cleanup. */
	return kunit_add_action(test, gate_wait, g);
}
EXPORT_SYMBOL_GPL(dmaxfer_kunit_gate);

static bool gate_waiting(void)
{
	bool waiting;

	spin_lock(&gate_lock);
	waiting = gate_case;
	spin_unlock(&gate_lock);
	return waiting;
}

static int gate_show(struct seq_file *m, void *v)
{
	wait_event_interruptible_timeout(gate_wq, gate_waiting(), HZ / 10);
	spin_lock(&gate_lock);
	if (gate_case)
		seq_printf(m, "wait %u %s %s\n", gate_seq, gate_suite, gate_case);
	else
		seq_puts(m, "idle\n");
	spin_unlock(&gate_lock);
	return 0;
}

static int gate_open_file(struct inode *inode, struct file *file)
{
	return single_open(file, gate_show, NULL);
}

/* Writing the waiting case's number lets it go on. */
static ssize_t gate_write(struct file *file, const char __user *buf, size_t len,
			  loff_t *ppos)
{
	unsigned int seq;
	int ret;

	ret = kstrtouint_from_user(buf, len, 10, &seq);
	if (ret)
		return ret;
	spin_lock(&gate_lock);
	if (gate_case && seq == gate_seq) {
		gate_case = NULL;
		gate_open = true;
	}
	spin_unlock(&gate_lock);
	wake_up_all(&gate_wq);
	return len;
}

static const struct file_operations gate_fops = {
	.owner = THIS_MODULE,
	.open = gate_open_file,
	.read = seq_read,
	.write = gate_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init gate_init(void)
{
	gate_file = debugfs_create_file("dmaxfer_kunit_gate", 0600, NULL, NULL, &gate_fops);
	return 0;
}
module_init(gate_init);

static void __exit gate_exit(void)
{
	debugfs_remove(gate_file);
}
module_exit(gate_exit);
