// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer - scatter-gather tables over pages, cut to what the controller
 * takes: its segment size limit (and the seg_size module parameter), the
 * largest mapping a bounce buffer allows, and its segment boundary.
 */
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>

#include "dmaxfer.h"

unsigned int dmaxfer_seg_size;
module_param_named(seg_size, dmaxfer_seg_size, uint, 0644);
MODULE_PARM_DESC(seg_size,
		 "Largest scatter-gather segment in bytes (0: the controller's limit)");
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_seg_size);

/**
 * dmaxfer_sgt_build() - build a scatter-gather table over pages
 * @sgt: the table to allocate and fill
 * @pages: the pages
 * @npages: number of @pages; must cover @offset + @len
 * @offset: offset of the first byte in the first page of @pages
 * @len: number of bytes, at least 1
 * @max_seg: largest segment in bytes, at least 1
 * @gfp: allocation flags
 *
 * Physically contiguous pages are merged into one entry; no entry is longer
 * than @max_seg. Unlike sg_alloc_table_from_pages_segment() this accepts a
 * @max_seg smaller than a page, which some controllers need.
 *
 * Return: 0, -EINVAL for an empty or inconsistent request, -ENOMEM.
 */
int dmaxfer_sgt_build(struct sg_table *sgt, struct page **pages,
		      unsigned int npages, unsigned int offset, size_t len,
		      unsigned int max_seg, gfp_t gfp)
{
	return dmaxfer_sgt_build_bounded(sgt, pages, npages, offset, len,
					 max_seg, ULONG_MAX, gfp);
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_sgt_build);

/**
 * dmaxfer_sgt_build_bounded() - dmaxfer_sgt_build() that honours a boundary
 * @sgt: the table to allocate and fill
 * @pages: the pages
 * @npages: number of @pages; must cover @offset + @len
 * @offset: offset of the first byte in the first page of @pages
 * @len: number of bytes, at least 1
 * @max_seg: largest segment in bytes, at least 1
 * @boundary: segment boundary mask, as dma_get_seg_boundary() returns: no
 *	entry crosses an address that is a multiple of @boundary + 1
 * @gfp: allocation flags
 *
 * The boundary is applied to physical addresses: dma-direct and swiotlb map
 * an entry as a whole, so an entry that crosses no physical boundary crosses
 * no bus boundary either on the systems without an IOMMU this driver is
 * used on (an IOMMU's dma_map_sg() honours the boundary itself).
 *
 * Return: 0, -EINVAL for an empty or inconsistent request, -ENOMEM.
 */
int dmaxfer_sgt_build_bounded(struct sg_table *sgt, struct page **pages,
			      unsigned int npages, unsigned int offset, size_t len,
			      unsigned int max_seg, unsigned long boundary, gfp_t gfp)
{
	struct scatterlist *sg = NULL;
	unsigned int nents = 0;
	int pass, ret;

	if (!len || !max_seg || !npages || offset >= PAGE_SIZE ||
	    (u64)offset + len > (u64)npages * PAGE_SIZE)
		return -EINVAL;

	/* Pass 0 counts the entries, pass 1 fills them. */
	for (pass = 0; pass < 2; pass++) {
		unsigned int i = 0, off = offset;
		size_t left = len;

		while (left) {
			/* Extend a run of physically contiguous pages. */
			size_t run = min_t(size_t, left, PAGE_SIZE - off);
			unsigned int j = i;
			size_t seg;

			while (run < left && j + 1 < npages &&
			       page_to_pfn(pages[j + 1]) == page_to_pfn(pages[j]) + 1) {
				j++;
				run += min_t(size_t, left - run, PAGE_SIZE);
			}
			/* Cut the run into segments of at most max_seg. */
			while (run) {
				seg = min_t(size_t, run, max_seg);
				seg = min(seg, dmaxfer_to_boundary(page_to_phys(pages[i]) + off,
								   boundary));
				if (pass) {
					sg_set_page(sg, pages[i], seg, off);
					sg = sg_next(sg);
				} else {
					nents++;
				}
				off += seg;
				i += off / PAGE_SIZE;
				off %= PAGE_SIZE;
				run -= seg;
				left -= seg;
			}
		}
		if (!pass) {
			ret = sg_alloc_table(sgt, nents, gfp);
			if (ret)
				return ret;
			sg = sgt->sgl;
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_sgt_build_bounded);

/**
 * dmaxfer_chan_max_seg() - the segment limit used for a channel's tables
 * @xc: the channel
 *
 * Return: the DMA device's max segment size, lowered by the seg_size module
 * parameter when that is set.
 */
unsigned int dmaxfer_chan_max_seg(struct dmaxfer_chan *xc)
{
	unsigned int max = dma_get_max_seg_size(xc->dma_dev);
	unsigned int lim = READ_ONCE(dmaxfer_seg_size);
	/* A bounce buffer (swiotlb) limits how much one mapping may cover. */
	size_t map = dma_max_mapping_size(xc->dma_dev);

	if (lim && lim < max)
		max = lim;
	if (map < max)
		max = map;
	/* Every segment but the last must be a whole number of accesses. */
	return max(round_down(max, xc->props.bus_width), xc->props.bus_width);
}
EXPORT_SYMBOL_IF_KUNIT(dmaxfer_chan_max_seg);

