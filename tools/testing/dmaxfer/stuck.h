// SPDX-License-Identifier: GPL-2.0
/*
 * dmaxfer_test: a transfer that waits for its deadline, for the cases
 * that need one in flight for a known time. Part of dmaxfer_test.c.
 */

/*
 * A transfer that does not end before its deadline: on a loopback device
 * an rx from the emptied FIFO; elsewhere a tx held unissued (debugfs
 * hold_issue). 0, -2 (no way), or errno.
 */
struct stuck {
	uint32_t chan;
	uint64_t len;
	uint64_t id;
	double t0;		/* submission time */
	double tmo;		/* the device's timeout, s */
	uint8_t *mem;
	size_t mem_len;
};

static int stuck_start(struct stuck *s, int fd, const struct dmaxfer_chan_info *ci,
		       bool loop, size_t pg)
{
	int r;

	memset(s, 0, sizeof(*s));
	settle();	/* alone on its channel: no orphan's expiry may end it */
	if (loop) {
		s->chan = RX;
		s->len = 4096;
		fifo_flush();
	} else if (ci[TX].flags & DMAXFER_INFO_PRESENT) {
		s->chan = TX;
		s->len = quick_len(&ci[TX]);
		if (hold_issue(1))
			return -2;
	} else {
		return -2;
	}
	s->tmo = ci[s->chan].timeout_ms / 1000.0;
	s->mem_len = round_up(s->len, pg);
	s->mem = anon(s->mem_len);
	if (s->mem == MAP_FAILED) {
		s->mem = NULL;
		return errno;
	}
	r = submit_ptr(fd, s->chan, s->mem, s->len, 0x57c, &s->id);
	s->t0 = now_s();
	if (r && s->chan == TX)
		hold_issue(0);
	return r;
}

static void stuck_free(struct stuck *s)
{
	if (s->mem)
		munmap(s->mem, s->mem_len);
	s->mem = NULL;
}

/*
 * Sleep until t (now_s() time), if it is still ahead. The clock is checked
 * again after each sleep: on the zynq guest usleep() was seen to return
 * at once (a 20-iteration loop of 300 ms sleeps took 0.6 s).
 */
static void sleep_until(double t)
{
	double d;

	while ((d = t - now_s()) > 0) {
		struct timespec ts = { .tv_sec = (time_t)d,
				       .tv_nsec = (long)((d - (time_t)d) * 1e9) };

		nanosleep(&ts, NULL);
	}
}

/* Whether stuck_start() can work here: a loopback, or tx with hold_issue. */
static bool can_stick(FIXTURE_DATA(dmaxfer) *self)
{
	if (self->loop)
		return true;
	return self->has[TX] && !hold_issue(0);
}

#define NO_STUCK "no transfer outlasts its deadline: not a loopback device, and no tx with the hold_issue knob"
#define START_STUCK(s, fd) do {							\
	int __r = stuck_start(s, fd, self->ci, self->loop, self->pg);		\
	ASSERT_EQ(0, __r) {							\
		TH_LOG("submitting a transfer that waits for its deadline: %s", \
		       __r == -2 ? "no way" : strerror(__r));			\
	}									\
} while (0)
