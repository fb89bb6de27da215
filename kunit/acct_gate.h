/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The accounting gate of dmaxfer_kunit.ko: see acct_gate.c.
 */
#ifndef _DMAXFER_ACCT_GATE_H
#define _DMAXFER_ACCT_GATE_H

struct kunit;

int dmaxfer_kunit_gate(struct kunit *test, const char *suite);

#endif /* _DMAXFER_ACCT_GATE_H */
