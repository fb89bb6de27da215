// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer tool: the info command (DMAXFER_IOC_INFO of both channels,
 * as text or JSON).
 */
#include "dmaxfer_cli.h"

/* ---- info ---------------------------------------------------------------- */

static void widths_str(uint32_t widths, char *buf, size_t len)
{
	size_t pos = 0;
	int n;

	buf[0] = '\0';
	for (n = 0; n < 32 && pos < len; n++) {
		if (!(widths & (1U << n)))
			continue;
		pos += snprintf(buf + pos, len - pos, "%s%llu", pos ? "," : "",
				1ULL << n);
	}
	if (!buf[0])
		snprintf(buf, len, "none");
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

int cmd_info(const struct opts *o)
{
	struct dmaxfer_chan_info ci[DMAXFER_NR_CHANS];
	char widths[128];
	uint32_t c;
	int fd, rc;

	fd = open_dev(o->dev);
	if (fd < 0)
		return EXIT_IO;
	rc = get_infos(fd, o->dev, ci);
	close(fd);
	if (rc)
		return rc;

	if (o->json) {
		printf("{\"device\":");
		json_str(o->dev);
		printf(",\"channels\":[");
		for (c = 0; c < DMAXFER_NR_CHANS; c++) {
			const struct dmaxfer_chan_info *i = &ci[c];

			/* dma_chan is NUL-terminated by the ABI; be safe anyway. */
			char name[sizeof(i->dma_chan) + 1];

			memcpy(name, i->dma_chan, sizeof(i->dma_chan));
			name[sizeof(i->dma_chan)] = '\0';
			printf("%s{\"chan\":\"%s\",\"present\":%s,\"flags\":%u,\"abi_version\":%u",
			       c ? "," : "", dmaxfer_chan_name(c),
			       dmaxfer_chan_present(i) ? "true" : "false", i->flags,
			       i->abi_version);
			if (dmaxfer_chan_present(i)) {
				printf(",\"dma_chan\":");
				json_str(name);
				printf(",\"bus_width\":%u,\"maxburst\":%u,\"addr_widths\":%u,"
				       "\"max_burst\":%u,\"max_seg_size\":%u,"
				       "\"residue_granularity\":\"%s\",\"pause\":%s,"
				       "\"timeout_ms\":%u,\"max_xfer_len\":%u,\"queue_depth\":%u",
				       i->bus_width, i->maxburst, i->addr_widths, i->max_burst,
				       i->max_seg_size,
				       dmaxfer_residue_name(i->residue_granularity),
				       (i->flags & DMAXFER_INFO_PAUSE) ? "true" : "false",
				       i->timeout_ms, i->max_xfer_len, i->queue_depth);
			}
			printf("}");
		}
		printf("]}\n");
		return fflush(stdout) ? EXIT_IO : 0;
	}

	printf("%s: dmaxfer ABI %u\n", o->dev, ci[0].abi_version);
	for (c = 0; c < DMAXFER_NR_CHANS; c++) {
		const struct dmaxfer_chan_info *i = &ci[c];

		if (!dmaxfer_chan_present(i)) {
			printf("%s: not in the device tree\n", dmaxfer_chan_name(c));
			continue;
		}
		widths_str(i->addr_widths, widths, sizeof(widths));
		printf("%s: dma channel %.*s\n", dmaxfer_chan_name(c),
		       (int)sizeof(i->dma_chan), i->dma_chan);
		printf("    bus width %u, maxburst %u; controller: widths %s, max burst %u,"
		       " residue %s%s\n", i->bus_width, i->maxburst, widths, i->max_burst,
		       dmaxfer_residue_name(i->residue_granularity),
		       (i->flags & DMAXFER_INFO_PAUSE) ? ", pause" : "");
		printf("    max segment %u, max transfer %u, queue depth %u, timeout %u ms\n",
		       i->max_seg_size, i->max_xfer_len, i->queue_depth, i->timeout_ms);
	}
	return fflush(stdout) ? EXIT_IO : 0;
}

