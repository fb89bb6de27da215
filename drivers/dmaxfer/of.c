// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - device-tree properties.
 *
 * Kept apart from probe so that the parsing can be tested on its own: it
 * reads properties and validates them, and touches nothing else. Through
 * the firmware-agnostic property API, so that it builds without CONFIG_OF.
 */
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/property.h>
#include <linux/string.h>

#include "dmaxfer.h"

/*
 * The FIFO address is a u32 (one cell) or a u64 (/bits/ 64, or two cells):
 * integrators of 32-bit SoCs write one cell and need not care.
 */
static int dmaxfer_of_read_addr(struct device *dev, const char *prop, u64 *addr)
{
	u32 cells[2];
	int ret;

	if (!device_property_present(dev, prop))
		return -ENOENT;
	/* /bits/ 64 is stored as two cells, most significant first. */
	switch (device_property_count_u32(dev, prop)) {
	case 1:
		ret = device_property_read_u32(dev, prop, &cells[1]);
		cells[0] = 0;
		break;
	case 2:
		ret = device_property_read_u32_array(dev, prop, cells, 2);
		break;
	default:
		return -EINVAL;
	}
	if (ret)
		return ret;
	*addr = (u64)cells[0] << 32 | cells[1];
	return 0;
}

/**
 * dmaxfer_of_parse_chan() - read the device-tree description of a channel
 * @dev: the dmaxfer device, with an of_node
 * @name: channel name, "tx" or "rx"
 * @props: filled in on success
 *
 * Reads ``dmaxfer,<name>-fifo-addr`` (required), ``dmaxfer,<name>-bus-width``
 * (bytes, default 4) and ``dmaxfer,<name>-maxburst`` (default 1).
 *
 * Return: 0, or a negative errno after a message that names the property.
 */
int dmaxfer_of_parse_chan(struct device *dev, const char *name,
			  struct dmaxfer_chan_props *props)
{
	char prop[40];
	int ret;

	snprintf(prop, sizeof(prop), "dmaxfer,%s-fifo-addr", name);
	ret = dmaxfer_of_read_addr(dev, prop, &props->fifo_addr);
	if (ret == -ENOENT) {
		dev_err(dev, "missing required property %s\n", prop);
		return -EINVAL;
	}
	if (ret) {
		dev_err(dev, "%s must be one or two cells\n", prop);
		return ret;
	}
	/* The slave config holds a phys_addr_t: 32 bits on many ARM SoCs. */
	if ((u64)(phys_addr_t)props->fifo_addr != props->fifo_addr) {
		dev_err(dev, "%s = %#llx: beyond this kernel's %zu-bit physical addresses\n",
			prop, props->fifo_addr, sizeof(phys_addr_t) * 8);
		return -ERANGE;
	}

	snprintf(prop, sizeof(prop), "dmaxfer,%s-bus-width", name);
	props->bus_width = 4;
	ret = device_property_read_u32(dev, prop, &props->bus_width);
	if (ret && ret != -EINVAL) {
		dev_err(dev, "%s: cannot read a u32 (%d)\n", prop, ret);
		return ret;
	}
	switch (props->bus_width) {
	case 1:
	case 2:
	case 4:
	case 8:
		break;
	default:
		dev_err(dev, "%s = %u: must be 1, 2, 4 or 8\n", prop,
			props->bus_width);
		return -EINVAL;
	}
	if (props->fifo_addr & (props->bus_width - 1)) {
		dev_err(dev, "dmaxfer,%s-fifo-addr %#llx is not aligned to the %u-byte bus width\n",
			name, props->fifo_addr, props->bus_width);
		return -EINVAL;
	}

	snprintf(prop, sizeof(prop), "dmaxfer,%s-maxburst", name);
	props->maxburst = 1;
	ret = device_property_read_u32(dev, prop, &props->maxburst);
	if (ret && ret != -EINVAL) {
		dev_err(dev, "%s: cannot read a u32 (%d)\n", prop, ret);
		return ret;
	}
	if (props->maxburst < 1 || props->maxburst > 256) {
		dev_err(dev, "%s = %u: must be 1 to 256\n", prop, props->maxburst);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_of_parse_chan);

/**
 * dmaxfer_of_check_dma_names() - reject channel names the driver does not know
 * @dev: the dmaxfer device
 *
 * dma_request_chan() fails the same way for a misspelt name as for an absent
 * one, so a typo would silently leave a direction unbound: check first.
 *
 * Return: the number of known names (0 if there is no ``dma-names``), or
 * -EINVAL after a message naming the first unknown entry.
 */
int dmaxfer_of_check_dma_names(struct device *dev)
{
	const char *names[8];
	int n, i;

	n = device_property_read_string_array(dev, "dma-names", names,
					      ARRAY_SIZE(names));
	if (n == -EINVAL)
		return 0;
	if (n < 0) {
		dev_err(dev, "dma-names: cannot read (%d)\n", n);
		return n;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], "tx") && strcmp(names[i], "rx")) {
			dev_err(dev, "dma-names: unknown channel '%s' (expected \"tx\" and/or \"rx\")\n",
				names[i]);
			return -EINVAL;
		}
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_of_check_dma_names);

/**
 * dmaxfer_of_timeout_ms() - per-transfer timeout from ``dmaxfer,timeout-ms``
 * @dev: the dmaxfer device
 * @def: value when the property is absent (the module parameter)
 *
 * Return: the timeout in milliseconds, never 0.
 */
u32 dmaxfer_of_timeout_ms(struct device *dev, u32 def)
{
	u32 ms = def;

	device_property_read_u32(dev, "dmaxfer,timeout-ms", &ms);
	return ms ? ms : def;
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_of_timeout_ms);
