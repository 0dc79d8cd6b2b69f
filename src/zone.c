/* zone.c — named time zones from TZif files (RFC 8536), read on demand.
 *
 * The file is read whole (a zone file is a few kilobytes; more than
 * MAX_TZIF bytes is refused), every count is checked against its length,
 * and the transitions are searched where they lie in the buffer: no
 * tables are built and nothing outlives the call. */
#include "zone.h"

#include "date.h"
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TZIF (256 * 1024)
#define MAX_NAME 64

static bool valid_name(const char *s);

typedef struct tzif {
    const unsigned char *trans, *idx, *types;
    const char *chars;
    size_t timecnt, typecnt, charcnt;
    int tsize;                 /* 8 for version 2 and later, else 4 */
    bool rule_after;           /* the footer has a daylight-saving rule */
} tzif;

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Reads the header at b (n bytes left): the six counts, and the size of
 * the data block that follows for transition times of tsize bytes. */
static bool header(const unsigned char *b, size_t n, int tsize, size_t c[6], size_t *data)
{
    if (n < 44 || memcmp(b, "TZif", 4) != 0)
        return false;
    for (int i = 0; i < 6; i++) {
        c[i] = be32(b + 20 + 4 * i);
        if (c[i] > MAX_TZIF)
            return false;
    }
    /* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
    *data = c[3] * (size_t)tsize + c[3] + c[4] * 6 + c[5] + c[2] * ((size_t)tsize + 4) + c[1] +
            c[0];
    return 44 + *data <= n;
}

static bool tzif_read(const unsigned char *b, size_t n, tzif *z)
{
    size_t c[6], data;
    memset(z, 0, sizeof *z);
    if (!header(b, n, 4, c, &data))
        return false;
    const unsigned char *d = b + 44, *end = b + n;
    z->tsize = 4;
    if (b[4] >= '2') {
        const unsigned char *h = d + data;
        if (!header(h, (size_t)(end - h), 8, c, &data))
            return false;
        d = h + 44;
        z->tsize = 8;
        /* The footer: "\nTZ string\n"; a comma means a daylight rule. */
        const unsigned char *f = d + data;
        if (f < end && *f == '\n') {
            const unsigned char *e = memchr(f + 1, '\n', (size_t)(end - f - 1));
            z->rule_after = e && memchr(f + 1, ',', (size_t)(e - f - 1)) != NULL;
        }
    }
    z->timecnt = c[3];
    z->typecnt = c[4];
    z->charcnt = c[5];
    z->trans = d;
    z->idx = d + z->timecnt * (size_t)z->tsize;
    z->types = z->idx + z->timecnt;
    z->chars = (const char *)(z->types + z->typecnt * 6);
    if (z->typecnt == 0 || z->charcnt == 0 || z->chars[z->charcnt - 1] != '\0')
        return false;
    for (size_t i = 0; i < z->timecnt; i++)
        if (z->idx[i] >= z->typecnt)
            return false;
    for (size_t i = 0; i < z->typecnt; i++)
        if (z->types[6 * i + 5] >= z->charcnt)
            return false;
    return true;
}

static int64_t trans_at(const tzif *z, size_t i)
{
    const unsigned char *p = z->trans + i * (size_t)z->tsize;
    return z->tsize == 8 ? be64(p) : (int64_t)(int32_t)be32(p);
}

/* Index of the last transition at or before t, or -1 before the first. */
static long last_trans(const tzif *z, int64_t t)
{
    size_t lo = 0, hi = z->timecnt;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (trans_at(z, mid) <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

static size_t type_of(const tzif *z, long k)
{
    return k < 0 ? 0 : z->idx[k];
}

static int32_t type_off(const tzif *z, size_t type)
{
    return (int32_t)be32(z->types + 6 * type);
}

/* Letters, digits, '_', '+', '-' in '/'-separated parts, none of them
 * starting with a dot: a path that stays inside the zoneinfo directory. */
bool tl_zone_name_ok(const char *s) { return valid_name(s); }

static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > MAX_NAME || s[0] == '/' || s[n - 1] == '/')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '+' || c == '-' || (c == '/' && s[i + 1] != '/');
        if (!ok || ((i == 0 || s[i - 1] == '/') && c == '.'))
            return false;
    }
    return true;
}

/* Reads the whole file into a new buffer; NULL when it cannot. */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *b = malloc(MAX_TZIF + 1);
    *n = b ? fread(b, 1, MAX_TZIF + 1, f) : 0;
    fclose(f);
    if (b && (*n == 0 || *n > MAX_TZIF)) {
        free(b);
        b = NULL;
    }
    return b;
}

static void offset_text(int32_t secs, char *buf, size_t size)
{
    int a = secs < 0 ? -secs : secs;
    snprintf(buf, size, "%c%02d:%02d", secs < 0 ? '-' : '+', a / 3600 % 100, a / 60 % 60);
}

/* Checks that z keeps one offset over [from, to]; fills the message. */
static bool one_offset(const tzif *z, const char *name, int64_t from, int64_t to, size_t *type,
                       char *err, size_t errlen)
{
    long k = last_trans(z, from);
    *type = type_of(z, k);
    int32_t off = type_off(z, *type);
    for (size_t i = (size_t)(k + 1); i < z->timecnt && trans_at(z, i) <= to; i++) {
        int32_t o = type_off(z, z->idx[i]);
        if (o == off)
            continue;
        char a[16], b[16], when[32];
        offset_text(off, a, sizeof a);
        offset_text(o, b, sizeof b);
        int64_t t = trans_at(z, i), day = t / 86400 - (t % 86400 < 0);
        tl_day_iso(day, when, sizeof when);
        snprintf(err, errlen, "%s changes its offset from UTC within these events (%s to %s on "
                 "%s) — a chart shows one offset: give one, as in %s", name, a, b, when, a);
        return false;
    }
    if (z->rule_after && (z->timecnt == 0 || to > trans_at(z, z->timecnt - 1))) {
        snprintf(err, errlen, "%s follows daylight-saving rules past the dates its file lists — "
                 "give the offset, as in +09:00", name);
        return false;
    }
    return true;
}

bool tl_zone_for_doc(const char *name, const tl_doc *doc, int *offset_min, char *abbr,
                     size_t abbrlen, char *err, size_t errlen)
{
    int64_t lo, hi;
    if (!tl_doc_timed_range(doc, &lo, &hi))
        lo = hi = 0;
    return tl_zone_named(NULL, name, lo, hi, offset_min, abbr, abbrlen, err, errlen);
}

bool tl_zone_named(const char *dir, const char *name, int64_t from, int64_t to,
                   int *offset_min, char *abbr, size_t abbrlen, char *err, size_t errlen)
{
    char sink[8];
    if (!err || !errlen) {
        err = sink;
        errlen = sizeof sink;
    }
    err[0] = '\0';
    if (abbrlen)
        abbr[0] = '\0';
    if (!dir)
        dir = TL_ZONEINFO_DIR;
    if (!valid_name(name)) {
        snprintf(err, errlen, "'%.64s' is not a zone — give UTC, an offset such as +09:00, or a "
                 "zone name such as Asia/Seoul", name);
        return false;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t n = 0;
    unsigned char *b = slurp(path, &n);
    if (!b) {
        snprintf(err, errlen, "no zone '%s' in %.300s — give the offset, as in +09:00 (zone "
                 "names need the tzdata package)", name, dir);
        return false;
    }
    tzif z;
    bool ok = tzif_read(b, n, &z);
    size_t type = 0;
    if (!ok)
        snprintf(err, errlen, "%.300s is not a zone file", path);
    else
        ok = one_offset(&z, name, from, to, &type, err, errlen);
    if (ok) {
        int32_t off = type_off(&z, type);
        *offset_min = off / 60;
        const char *a = z.chars + z.types[6 * type + 5];
        /* Numeric abbreviations ("+09") say less than "+09:00". */
        if (abbrlen && a[0] != '+' && a[0] != '-')
            snprintf(abbr, abbrlen, "%s", a);
    }
    free(b);
    return ok;
}
