// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - per-channel statistics in sysfs:
 * /sys/bus/platform/devices/<dev>/{tx,rx}/<counter>.
 */
#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/time64.h>
#include <linux/sysfs.h>

#include "dmaxfer.h"

enum dmaxfer_stat {
	ST_TRANSFERS, ST_BYTES, ST_ERRORS, ST_TIMEOUTS,
	ST_LAST_RESIDUE, ST_LAST_ERROR, ST_LAST_NENTS, ST_MAX_NENTS,
	ST_MAX_INFLIGHT, ST_COPIED, ST_ABORTS, ST_LOST,
};

struct dmaxfer_stat_attr {
	struct device_attribute attr;
	enum dmaxfer_dir dir;
	enum dmaxfer_stat stat;
};

static ssize_t dmaxfer_stat_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct dmaxfer_stat_attr *sa =
		container_of(attr, struct dmaxfer_stat_attr, attr);
	struct dmaxfer_dev *xd = dev_get_drvdata(dev);
	struct dmaxfer_chan *xc = xd->chans[sa->dir];
	struct dmaxfer_stats st;
	unsigned long flags;

	spin_lock_irqsave(&xc->lock, flags);
	st = xc->stats;
	spin_unlock_irqrestore(&xc->lock, flags);

	switch (sa->stat) {
	case ST_TRANSFERS:
		return sysfs_emit(buf, "%llu\n", st.transfers);
	case ST_BYTES:
		return sysfs_emit(buf, "%llu\n", st.bytes);
	case ST_ERRORS:
		return sysfs_emit(buf, "%llu\n", st.errors);
	case ST_TIMEOUTS:
		return sysfs_emit(buf, "%llu\n", st.timeouts);
	case ST_LAST_RESIDUE:
		return sysfs_emit(buf, "%u\n", st.last_residue);
	case ST_LAST_ERROR:
		return sysfs_emit(buf, "%d\n", st.last_error);
	case ST_LAST_NENTS:
		return sysfs_emit(buf, "%u\n", st.last_nents);
	case ST_MAX_NENTS:
		return sysfs_emit(buf, "%u\n", st.max_nents);
	case ST_MAX_INFLIGHT:
		return sysfs_emit(buf, "%u\n", st.max_inflight);
	case ST_COPIED:
		return sysfs_emit(buf, "%llu\n", st.copied);
	case ST_ABORTS:
		return sysfs_emit(buf, "%llu\n", st.aborts);
	case ST_LOST:
		return sysfs_emit(buf, "%llu\n", st.lost);
	}
	return -EINVAL;
}

#define DMAXFER_STAT(_n, _d, _name, _stat)				\
	static struct dmaxfer_stat_attr dmaxfer_##_n##_##_name = {	\
		.attr = __ATTR(_name, 0444, dmaxfer_stat_show, NULL),	\
		.dir = _d,						\
		.stat = _stat,						\
	}

DMAXFER_STAT(tx, DMAXFER_TX, transfers, ST_TRANSFERS);
DMAXFER_STAT(tx, DMAXFER_TX, bytes, ST_BYTES);
DMAXFER_STAT(tx, DMAXFER_TX, errors, ST_ERRORS);
DMAXFER_STAT(tx, DMAXFER_TX, timeouts, ST_TIMEOUTS);
DMAXFER_STAT(tx, DMAXFER_TX, last_residue, ST_LAST_RESIDUE);
DMAXFER_STAT(tx, DMAXFER_TX, last_error, ST_LAST_ERROR);
DMAXFER_STAT(tx, DMAXFER_TX, last_nents, ST_LAST_NENTS);
DMAXFER_STAT(tx, DMAXFER_TX, max_nents, ST_MAX_NENTS);
DMAXFER_STAT(tx, DMAXFER_TX, max_inflight, ST_MAX_INFLIGHT);
DMAXFER_STAT(tx, DMAXFER_TX, copied_bytes, ST_COPIED);
DMAXFER_STAT(tx, DMAXFER_TX, aborts, ST_ABORTS);
DMAXFER_STAT(tx, DMAXFER_TX, lost_bytes, ST_LOST);

static struct attribute *dmaxfer_tx_attrs[] = {
	&dmaxfer_tx_transfers.attr.attr,
	&dmaxfer_tx_bytes.attr.attr,
	&dmaxfer_tx_errors.attr.attr,
	&dmaxfer_tx_timeouts.attr.attr,
	&dmaxfer_tx_last_residue.attr.attr,
	&dmaxfer_tx_last_error.attr.attr,
	&dmaxfer_tx_last_nents.attr.attr,
	&dmaxfer_tx_max_nents.attr.attr,
	&dmaxfer_tx_max_inflight.attr.attr,
	&dmaxfer_tx_copied_bytes.attr.attr,
	&dmaxfer_tx_aborts.attr.attr,
	&dmaxfer_tx_lost_bytes.attr.attr,
	NULL
};

DMAXFER_STAT(rx, DMAXFER_RX, transfers, ST_TRANSFERS);
DMAXFER_STAT(rx, DMAXFER_RX, bytes, ST_BYTES);
DMAXFER_STAT(rx, DMAXFER_RX, errors, ST_ERRORS);
DMAXFER_STAT(rx, DMAXFER_RX, timeouts, ST_TIMEOUTS);
DMAXFER_STAT(rx, DMAXFER_RX, last_residue, ST_LAST_RESIDUE);
DMAXFER_STAT(rx, DMAXFER_RX, last_error, ST_LAST_ERROR);
DMAXFER_STAT(rx, DMAXFER_RX, last_nents, ST_LAST_NENTS);
DMAXFER_STAT(rx, DMAXFER_RX, max_nents, ST_MAX_NENTS);
DMAXFER_STAT(rx, DMAXFER_RX, max_inflight, ST_MAX_INFLIGHT);
DMAXFER_STAT(rx, DMAXFER_RX, copied_bytes, ST_COPIED);
DMAXFER_STAT(rx, DMAXFER_RX, aborts, ST_ABORTS);
DMAXFER_STAT(rx, DMAXFER_RX, lost_bytes, ST_LOST);

static struct attribute *dmaxfer_rx_attrs[] = {
	&dmaxfer_rx_transfers.attr.attr,
	&dmaxfer_rx_bytes.attr.attr,
	&dmaxfer_rx_errors.attr.attr,
	&dmaxfer_rx_timeouts.attr.attr,
	&dmaxfer_rx_last_residue.attr.attr,
	&dmaxfer_rx_last_error.attr.attr,
	&dmaxfer_rx_last_nents.attr.attr,
	&dmaxfer_rx_max_nents.attr.attr,
	&dmaxfer_rx_max_inflight.attr.attr,
	&dmaxfer_rx_copied_bytes.attr.attr,
	&dmaxfer_rx_aborts.attr.attr,
	&dmaxfer_rx_lost_bytes.attr.attr,
	NULL
};

/* A group only for the channels the node has. */
static umode_t dmaxfer_stat_visible(struct kobject *kobj, struct attribute *a,
				    int n)
{
	struct dmaxfer_dev *xd = dev_get_drvdata(kobj_to_dev(kobj));
	struct device_attribute *da = container_of(a, struct device_attribute, attr);
	struct dmaxfer_stat_attr *sa =
		container_of(da, struct dmaxfer_stat_attr, attr);

	/* No such channel: no directory either. */
	if (!xd || !xd->chans[sa->dir])
		return n == 0 ? SYSFS_GROUP_INVISIBLE : 0;
	return a->mode;
}

static const struct attribute_group dmaxfer_tx_group = {
	.name = "tx",
	.attrs = dmaxfer_tx_attrs,
	.is_visible = dmaxfer_stat_visible,
};

static const struct attribute_group dmaxfer_rx_group = {
	.name = "rx",
	.attrs = dmaxfer_rx_attrs,
	.is_visible = dmaxfer_stat_visible,
};

static ssize_t timeout_ms_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct dmaxfer_dev *xd = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(xd->timeout_ms));
}

static ssize_t timeout_ms_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct dmaxfer_dev *xd = dev_get_drvdata(dev);
	u32 ms;
	int ret;

	ret = kstrtou32(buf, 0, &ms);
	if (ret)
		return ret;
	if (!ms || ms > 3600 * MSEC_PER_SEC)
		return -EINVAL;
	WRITE_ONCE(xd->timeout_ms, ms);
	return count;
}
static DEVICE_ATTR_RW(timeout_ms);

static struct attribute *dmaxfer_dev_attrs[] = {
	&dev_attr_timeout_ms.attr,
	NULL
};

static const struct attribute_group dmaxfer_dev_group = {
	.attrs = dmaxfer_dev_attrs,
};

const struct attribute_group *dmaxfer_groups[] = {
	&dmaxfer_dev_group,
	&dmaxfer_tx_group,
	&dmaxfer_rx_group,
	NULL,
};
