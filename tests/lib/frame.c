// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "frame.h"

#include <arpa/inet.h>
#include <assert.h>
#include <string.h>

void frame_init(struct frame *f)
{
	f->len = 0;
	f->ip_ver[0] = f->ip_ver[1] = 0;
}

void frame_bytes(struct frame *f, const void *p, size_t n)
{
	assert(f->len + n <= FRAME_MAX);
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

void frame_zero(struct frame *f, size_t n)
{
	assert(f->len + n <= FRAME_MAX);
	memset(f->b + f->len, 0, n);
	f->len += n;
}

static void put16(struct frame *f, uint16_t v)
{
	uint16_t n = htons(v);

	frame_bytes(f, &n, 2);
}

static void put8(struct frame *f, uint8_t v)
{
	frame_bytes(f, &v, 1);
}

void frame_eth_tags(struct frame *f, unsigned int ntags, const uint16_t *tpid,
		    const uint16_t *vid, uint16_t type)
{
	static const uint8_t macs[12] = { 0x02, 0, 0, 0, 0, 0x02,
					  0x02, 0, 0, 0, 0, 0x01 };
	unsigned int i;

	frame_bytes(f, macs, sizeof(macs));
	for (i = 0; i < ntags; i++) {
		put16(f, tpid[i]);
		put16(f, vid[i]);
	}
	put16(f, type);
}

void frame_eth(struct frame *f, uint16_t type)
{
	frame_eth_tags(f, 0, NULL, NULL, type);
}

void frame_ipv4(struct frame *f, uint8_t proto, const char *src,
		const char *dst, unsigned int ihl, uint16_t frag)
{
	uint32_t a;
	size_t opt;

	f->ip_off[0] = f->len;
	f->ip_ver[0] = 4;
	put8(f, (uint8_t)(0x40 | (ihl & 0xf)));
	put8(f, 0); /* tos */
	put16(f, 0); /* total length: frame_finish */
	put16(f, 0x1234); /* id */
	put16(f, frag);
	put8(f, 64); /* ttl */
	put8(f, proto);
	put16(f, 0); /* checksum: frame_finish */
	inet_pton(AF_INET, src, &a);
	frame_bytes(f, &a, 4);
	inet_pton(AF_INET, dst, &a);
	frame_bytes(f, &a, 4);
	for (opt = 20; opt < ihl * 4u; opt++)
		put8(f, 1); /* NOP options */
}

void frame_ipv6(struct frame *f, uint8_t nexthdr, const char *src,
		const char *dst)
{
	uint8_t a[16];

	f->ip_off[1] = f->len;
	f->ip_ver[1] = 6;
	put8(f, 0x60);
	put8(f, 0);
	put16(f, 0);
	put16(f, 0); /* payload length: frame_finish */
	put8(f, nexthdr);
	put8(f, 64);
	inet_pton(AF_INET6, src, a);
	frame_bytes(f, a, 16);
	inet_pton(AF_INET6, dst, a);
	frame_bytes(f, a, 16);
}

void frame_ext(struct frame *f, uint8_t type, uint8_t next, uint8_t len)
{
	size_t total = type == 51 ? ((size_t)len + 2) * 4
				  : ((size_t)len + 1) * 8;

	put8(f, next);
	put8(f, len);
	frame_zero(f, total - 2);
}

void frame_frag6(struct frame *f, uint8_t next, uint16_t offset, int more)
{
	put8(f, next);
	put8(f, 0);
	put16(f, (uint16_t)((offset << 3) | (more ? 1 : 0)));
	put16(f, 0xabcd);
	put16(f, 0x0001);
}

void frame_tcp_doff(struct frame *f, uint16_t sport, uint16_t dport,
		    unsigned int doff)
{
	unsigned int opt;

	put16(f, sport);
	put16(f, dport);
	put16(f, 0);
	put16(f, 1); /* seq */
	frame_zero(f, 4); /* ack */
	put8(f, (uint8_t)(doff << 4));
	put8(f, 0x18); /* PSH ACK */
	put16(f, 512);
	frame_zero(f, 4); /* checksum, urgent */
	for (opt = 20; opt < doff * 4u; opt++)
		put8(f, 1); /* NOP options */
}

void frame_tcp(struct frame *f, uint16_t sport, uint16_t dport)
{
	frame_tcp_doff(f, sport, dport, 5);
}

void frame_udp(struct frame *f, uint16_t sport, uint16_t dport)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, 8);
	put16(f, 0);
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

void frame_finish(struct frame *f, size_t len)
{
	if (f->len < len)
		frame_zero(f, len - f->len);
	if (f->ip_ver[0] == 4 && f->ip_off[0] + 20 <= f->len) {
		uint8_t *ip = f->b + f->ip_off[0];
		size_t ihl = (size_t)(ip[0] & 0xf) * 4;
		uint16_t tot = htons((uint16_t)(f->len - f->ip_off[0]));
		uint16_t c;

		memcpy(ip + 2, &tot, 2);
		memset(ip + 10, 0, 2);
		if (f->ip_off[0] + ihl <= f->len) {
			c = htons(csum(ip, ihl));
			memcpy(ip + 10, &c, 2);
		}
	}
	if (f->ip_ver[1] == 6 && f->ip_off[1] + 40 <= f->len) {
		uint16_t pl = htons((uint16_t)(f->len - f->ip_off[1] - 40));

		memcpy(f->b + f->ip_off[1] + 4, &pl, 2);
	}
}

void frame_cut(struct frame *f, size_t len)
{
	if (len < f->len)
		f->len = len;
}
