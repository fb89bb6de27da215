/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaxfer_compat.h - every difference between the kernels dmaxfer builds
 * against, in one place. dmaxfer, dmasim and the KUnit suites are written
 * for the newest interfaces; this header supplies them on kernels that
 * lack them, so that no other file tests a version.
 *
 * Features are probed, not inferred from LINUX_VERSION_CODE, because
 * distribution and vendor kernels backport: scripts/kconftest.sh compiles a
 * small test against the target kernel (run by the top-level Kbuild) and
 * writes HAVE_* to generated/dmaxfer_compat_auto.h (headers too: sparse has
 * no __has_include()). Macros are tested with #ifdef.
 *
 *   Shim                            In mainline since  Fallback here
 *   kunit/visibility.h              6.2   VISIBLE_IF_KUNIT and
 *                                         EXPORT_SYMBOL_IF_KUNIT (6.2's)
 *   vm_flags_set()                  6.3   vma->vm_flags |= flags
 *   SYSFS_GROUP_INVISIBLE           6.9   0: a named group whose every
 *                                         attribute is hidden then leaves
 *                                         an empty directory
 *   devm_clk_bulk_get_all_enabled() 6.13  devm_clk_bulk_get_all(), enable,
 *                                         a devm action to disable; 6.9's
 *                                         devm_clk_bulk_get_all_enable()
 *                                         is not used (gone since)
 *   hrtimer_setup()                 6.13  hrtimer_init() + ->function
 *                                         (hrtimer_init() is gone in 6.15)
 *   MODULE_IMPORT_NS("NS")          6.13  the string form, on kernels
 *                                         whose macro stringifies
 *
 * For the KUnit suites only (DMAXFER_COMPAT_KUNIT, at the end):
 *   kunit_add_action()              6.5   a KUnit resource whose ->free
 *                                         calls the action
 *   kunit_device_register()         6.8   root_device_register() and an
 *                                         action that unregisters it
 *
 * Not shimmed, left to Kbuild (it says what it leaves out): the leak
 * control needs kunit_vm_mmap() (6.10: it maps user memory from a kernel
 * thread, with helpers modules cannot reach), of_kunit
 * of_changeset_add_prop_*() (6.6) and CONFIG_OF_DYNAMIC. No driver has a .remove (everything is
 * device-managed), so platform_driver's remove/remove_new change (6.3,
 * 6.11, 6.13) needs nothing. The dmaengine provider helpers dmasim needs
 * are in drivers/dmasim/cookie.h, not here: they are not a version
 * difference but a header that packages do not ship.
 */
#ifndef _DMAXFER_COMPAT_H
#define _DMAXFER_COMPAT_H

#include "generated/dmaxfer_compat_auto.h"

#ifdef HAVE_KUNIT_VISIBILITY_H
#include <kunit/visibility.h>
#else
/*
 * Before 6.2, as 6.2 defines them (namespaces were identifiers then). The
 * object-like alias keeps checkpatch from taking the definition for an
 * export that does not follow its symbol.
 */
#include <linux/build_bug.h>
#include <linux/export.h>
#define EXPORT_SYMBOL_IF_KUNIT dmaxfer_export_if_kunit
#if IS_ENABLED(CONFIG_KUNIT)
#define VISIBLE_IF_KUNIT
#define dmaxfer_export_if_kunit(symbol) \
	EXPORT_SYMBOL_NS(symbol, EXPORTED_FOR_KUNIT_TESTING)
#else
#define VISIBLE_IF_KUNIT static
/* Nothing to export: a declaration that emits nothing (and names @symbol). */
#define dmaxfer_export_if_kunit(symbol) static_assert(1, #symbol)
#endif
#endif

#ifndef HAVE_VM_FLAGS_SET
#include <linux/mm.h>
/* Before 6.3, vm_flags is written directly (the caller holds mmap_lock). */
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}
#endif

#include <linux/sysfs.h>
#ifndef SYSFS_GROUP_INVISIBLE
#define SYSFS_GROUP_INVISIBLE 0
#endif

#ifndef HAVE_DEVM_CLK_BULK_GET_ALL_ENABLED
#include <linux/clk.h>
#include <linux/device.h>
#include <linux/slab.h>

struct dmaxfer_compat_clks {
	int num;
	struct clk_bulk_data *clks;
};

static inline void dmaxfer_compat_clks_disable(void *data)
{
	struct dmaxfer_compat_clks *c = data;

	clk_bulk_disable_unprepare(c->num, c->clks);
}

/**
 * devm_clk_bulk_get_all_enabled() - get and enable all clocks (managed)
 * @dev: the consumer
 * @clks: set to the clk_bulk_data table
 *
 * What Linux 6.13 provides, from the older managed helpers.
 *
 * Return: the number of clocks (0 for none), or a negative errno.
 */
static inline int __must_check
devm_clk_bulk_get_all_enabled(struct device *dev, struct clk_bulk_data **clks)
{
	struct dmaxfer_compat_clks *c;
	int ret;

	c = devm_kzalloc(dev, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	ret = devm_clk_bulk_get_all(dev, clks);
	if (ret <= 0)
		return ret;
	c->num = ret;
	c->clks = *clks;
	ret = clk_bulk_prepare_enable(c->num, c->clks);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, dmaxfer_compat_clks_disable, c);
	return ret ? ret : c->num;
}
#endif

#ifndef HAVE_HRTIMER_SETUP
#include <linux/hrtimer.h>
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

#ifndef HAVE_MODULE_IMPORT_NS_STRING
#include <linux/module.h>
/* 6.13's definition: the namespace is a string literal. */
#undef MODULE_IMPORT_NS
#define MODULE_IMPORT_NS(ns) MODULE_INFO(import_ns, ns)
#endif

/*
 * The KUnit suites' part (kunit/Kbuild defines DMAXFER_COMPAT_KUNIT).
 * A root device has no driver, but its managed resources are released
 * with it all the same.
 */
#ifdef DMAXFER_COMPAT_KUNIT
#include <kunit/test.h>

#ifndef HAVE_KUNIT_ADD_ACTION
#include <linux/slab.h>

typedef void (kunit_action_t)(void *);

/* The resource first: KUnit kfree()s it (should_kfree) after ->free. */
struct dmaxfer_kunit_action {
	struct kunit_resource res;
	kunit_action_t *fn;
	void *ctx;
};

static inline void dmaxfer_kunit_action_free(struct kunit_resource *res)
{
	struct dmaxfer_kunit_action *a =
		container_of(res, struct dmaxfer_kunit_action, res);

	a->fn(a->ctx);
}

/**
 * kunit_add_action() - call a function when the test ends
 * @test: the test
 * @fn: the function
 * @ctx: its argument
 *
 * What Linux 6.5 provides, from a test-managed resource: resources are
 * released in reverse order, as actions are.
 *
 * Return: 0, or a negative errno (@fn is not called then).
 */
static inline int kunit_add_action(struct kunit *test, kunit_action_t *fn,
				   void *ctx)
{
	struct dmaxfer_kunit_action *a;
	int ret;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->fn = fn;
	a->ctx = ctx;
	a->res.should_kfree = true;
	ret = kunit_add_resource(test, NULL, dmaxfer_kunit_action_free,
				 &a->res, a);
	if (ret)
		kfree(a);
	return ret;
}
#endif

#ifdef HAVE_KUNIT_DEVICE_H
#include <kunit/device.h>
#else
#include <linux/device.h>

static inline void dmaxfer_kunit_device_unregister(void *dev)
{
	root_device_unregister(dev);
}

/**
 * kunit_device_register() - a device that lives as long as the test
 * @test: the test
 * @name: its name, unique while it lives
 *
 * What Linux 6.8 provides, as a root device.
 *
 * Return: the device, or an ERR_PTR().
 */
static inline struct device *kunit_device_register(struct kunit *test,
						   const char *name)
{
	/*
	 * No owner: root_device_register() links the device to its module's
	 * sysfs directory, which fails (-ENOENT, seen on 6.1) while the
	 * module's init is still running the suites.
	 */
	struct device *dev = __root_device_register(name, NULL);
	int ret;

	if (IS_ERR(dev))
		return dev;
	ret = kunit_add_action(test, dmaxfer_kunit_device_unregister, dev);
	if (ret) {
		root_device_unregister(dev);
		return ERR_PTR(ret);
	}
	return dev;
}
#endif
#endif /* DMAXFER_COMPAT_KUNIT */

#endif /* _DMAXFER_COMPAT_H */
