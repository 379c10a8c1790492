/*
 * normalize: catalog text to comparable values (see normalize.h).
 *
 * The idea: every lookup goes through one "key" form of the text: UTF-8
 * case-folded, accents stripped (utf8proc), punctuation squashed to single
 * spaces. Tables of keys (all ISO 3166-1 countries and ISO 639 languages from
 * the generated iso tables, plus the aliases people write) are built once,
 * lazily, into sorted arrays and searched with bsearch, so a call per row
 * costs one key conversion and a binary search, never a scan of 249 names.
 */
#include "core/normalize.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 validation ------------------------------------------------------ */

bool norm_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path: eight bytes at a time while no high bit is set. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* UTF-16 surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else {
            goto bad; /* 80..C1 (continuation or overlong lead), F5..FF */
        }
        if (i + need >= len)
            goto bad; /* truncated */
        if (p[i + 1] < lo || p[i + 1] > hi)
            goto bad;
        for (size_t k = 2; k <= need; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                goto bad;
        i += need + 1;
        continue;
    bad:
        if (bad_offset)
            *bad_offset = i;
        return false;
    }
    return true;
}
