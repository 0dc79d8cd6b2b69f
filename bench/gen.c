/* gen.c — bench-gen: writes a valid timeline file with N synthetic events.
 *
 *     bench-gen N [SEED] > events.yaml
 *
 * The output depends only on N and SEED (default 1): the generator has its
 * own PRNG (splitmix64) and never calls rand() or reads the clock, so every
 * machine gets the same bytes for the same arguments.
 *
 * The file is meant to look like a real one, not like a stress test:
 * events spread over 2005–2019 in roughly chronological order, titles of
 * 3 to 12 words (a few with non-ASCII letters or a colon, which forces
 * quoting), 6 declared lanes, importance 1–3, about 20% spans, and the date
 * forms people actually write — day, month, quarter, year, early/mid/late,
 * circa and bounded {after, before} — with a summary, tags or a quoted
 * citation on some events.  Every span's `end` begins after its `date` has
 * ended, so the file passes `timeline check` whatever the precisions. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_YEAR 2005
#define LAST_YEAR 2019
#define MAX_EVENTS 500000 /* the format's limit */

/* ---- PRNG ------------------------------------------------------------- */

typedef struct rng {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* A number in [lo, hi], both inclusive. */
static int rng_range(rng *r, int lo, int hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int)(rng_next(r) % span);
}

/* True with probability pct/100. */
static int rng_chance(rng *r, int pct)
{
    return rng_range(r, 0, 99) < pct;
}

/* ---- Calendar --------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400) + (*m <= 2);
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return dm[m - 1] + (m == 2 && leap);
}

/* A date as written, with the interval of days it stands for. */
typedef struct gdate {
    char text[64];
    long first, last; /* days since 1970-01-01, inclusive */
} gdate;

static void date_day(gdate *g, long day)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(g->text, sizeof g->text, "%04d-%02d-%02d", y, m, d);
    g->first = g->last = day;
}

static void date_month(gdate *g, int y, int m)
{
    snprintf(g->text, sizeof g->text, "%04d-%02d", y, m);
    g->first = days_from_civil(y, m, 1);
    g->last = days_from_civil(y, m, days_in_month(y, m));
}

static void date_year(gdate *g, int y)
{
    snprintf(g->text, sizeof g->text, "%04d", y);
    g->first = days_from_civil(y, 1, 1);
    g->last = days_from_civil(y, 12, 31);
}

static void date_quarter(gdate *g, int y, int q)
{
    snprintf(g->text, sizeof g->text, "%04d-Q%d", y, q);
    g->first = days_from_civil(y, 3 * q - 2, 1);
    g->last = days_from_civil(y, 3 * q, days_in_month(y, 3 * q));
}

static void date_third(gdate *g, int y, int t)
{
    static const char *const word[3] = {"early", "mid", "late"};
    snprintf(g->text, sizeof g->text, "%s %04d", word[t], y);
    g->first = days_from_civil(y, 4 * t + 1, 1);
    g->last = days_from_civil(y, 4 * t + 4, days_in_month(y, 4 * t + 4));
}

static void date_circa(gdate *g, int y)
{
    snprintf(g->text, sizeof g->text, "~%04d", y);
    g->first = days_from_civil(y - 1, 1, 1);
    g->last = days_from_civil(y + 1, 12, 31);
}

/* {after: month, before: month or day}, a few months apart. */
static void date_bounded(gdate *g, rng *r, int y, int m)
{
    long after_first = days_from_civil(y, m, 1);
    long before_day = after_first + rng_range(r, 40, 200);
    int by, bm, bd;
    civil_from_days(before_day, &by, &bm, &bd);
    if (rng_chance(r, 50)) {
        snprintf(g->text, sizeof g->text, "{after: %04d-%02d, before: %04d-%02d}", y, m, by, bm);
        g->last = days_from_civil(by, bm, days_in_month(by, bm));
    } else {
        snprintf(g->text, sizeof g->text, "{after: %04d-%02d, before: %04d-%02d-%02d}", y, m, by,
                 bm, bd);
        g->last = before_day;
    }
    g->first = after_first;
}

/* The event's date, written in a precision drawn from a realistic mix, and
 * containing `day`. */
static void date_around(gdate *g, rng *r, long day, int allow_loose)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    int p = rng_range(r, 0, 99);
    if (!allow_loose)
        p = p % 62; /* day, month, quarter or year only */
    if (p < 35)
        date_day(g, day);
    else if (p < 52)
        date_month(g, y, m);
    else if (p < 57)
        date_quarter(g, y, (m - 1) / 3 + 1);
    else if (p < 62)
        date_year(g, y);
    else if (p < 76)
        date_third(g, y, (m - 1) / 4);
    else if (p < 88)
        date_circa(g, y);
    else
        date_bounded(g, r, y, m);
}

/* An end date that begins after `start` has ended. */
static void date_end(gdate *g, rng *r, const gdate *start)
{
    int y, m, d;
    civil_from_days(start->last, &y, &m, &d);
    int p = rng_range(r, 0, 99);
    if (p < 50) {
        date_day(g, start->last + rng_range(r, 1, 900));
    } else if (p < 85) {
        int months = rng_range(r, 1, 30);
        int idx = y * 12 + (m - 1) + months;
        date_month(g, idx / 12, idx % 12 + 1);
    } else {
        date_year(g, y + rng_range(r, 1, 3));
    }
}

/* ---- Text ------------------------------------------------------------- */

static const char *const words[] = {
    "agreement", "alliance", "annual", "attack", "bilateral", "border", "budget",
    "cabinet", "campaign", "ceasefire", "census", "charter", "coalition", "commission",
    "conference", "congress", "council", "court", "crisis", "cyber", "data", "debate",
    "decree", "defence", "delegation", "dialogue", "directive", "election", "embassy",
    "emergency", "energy", "envoy", "exercise", "export", "federal", "forum", "framework",
    "grid", "harbour", "hearing", "inquiry", "investment", "joint", "law", "league",
    "mandate", "maritime", "merger", "ministry", "mission", "network", "norms", "northern",
    "observers", "office", "pact", "panel", "parliament", "pipeline", "plan", "policy",
    "port", "programme", "protest", "railway", "reform", "regional", "report", "review",
    "ruling", "sanctions", "satellite", "security", "senate", "session", "settlement",
    "signals", "southern", "strategy", "strike", "summit", "survey", "talks", "tariff",
    "trade", "treaty", "tribunal", "union", "vote", "water", "working", "group", "launch",
    "opens", "signs", "rejects", "approves", "announces", "suspends", "resumes", "ends",
    "begins", "extends", "publishes", "indicts", "warns", "agrees", "meets", "visits",
    "of", "on", "for", "with", "in", "and", "the", "to", "over", "after",
    "Zürich", "São Paulo", "Kraków", "Malmö", "Tōkyō", "Reykjavík", "U.S.–China",
    "Seoul", "Beijing", "Geneva", "Brussels", "Nairobi", "Lima", "Ottawa", "Hanoi",
};
#define NWORDS (sizeof words / sizeof words[0])

static const char *const tagwords[] = {"diplomacy", "economy", "security", "law",
                                       "energy",    "health",  "infrastructure",
                                       "elections", "trade",   "norms"};
#define NTAGS (sizeof tagwords / sizeof tagwords[0])

/* Appends `n` words from the list to buf, the first capitalised when it is
 * ASCII, separated by spaces; returns the length written. */
static size_t put_words(char *buf, size_t size, rng *r, int n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        const char *w = words[rng_next(r) % NWORDS];
        int k = snprintf(buf + len, size - len, "%s%s", i ? " " : "", w);
        if (k < 0 || (size_t)k >= size - len)
            break;
        if (i == 0 && buf[len] >= 'a' && buf[len] <= 'z')
            buf[len] = (char)(buf[len] - 'a' + 'A');
        len += (size_t)k;
    }
    return len;
}

/* Writes `key: text`, double-quoted when the text holds a colon. */
static void put_text(const char *indent, const char *key, const char *text)
{
    if (strchr(text, ':'))
        printf("%s%s: \"%s\"\n", indent, key, text);
    else
        printf("%s%s: %s\n", indent, key, text);
}

/* ---- Document --------------------------------------------------------- */

static const char *const lane_ids[6] = {"politics", "economy", "security",
                                        "diplomacy", "society", "technology"};

static void put_header(long n)
{
    printf("# Synthetic timeline with %ld events, written by bench-gen for the\n"
           "# benchmark suite (bench/README.md).  Deterministic: same N, same bytes.\n\n",
           n);
    printf("title: Synthetic timeline, %d–%d\n", FIRST_YEAR, LAST_YEAR);
    printf("subtitle: %ld generated events in six lanes\n\n", n);
    printf("sources:\n"
           "  - id: gazette\n"
           "    title: The Regional Gazette archive\n"
           "    publisher: Regional Gazette\n"
           "    date: 2020-01\n"
           "  - id: annual-report\n"
           "    title: Annual report of the commission\n"
           "    author: The Commission secretariat\n"
           "    date: 2019-12-15\n"
           "  - id: hearing\n"
           "    title: \"Hearing transcript: review of the decade\"\n"
           "    date: 2020\n\n");
    printf("lanes:\n"
           "  - id: politics\n"
           "    label: Politics\n"
           "  - id: economy\n"
           "    label: Economy & trade\n"
           "    color: \"#E69F00\"\n"
           "  - id: security\n"
           "    label: Security\n"
           "  - id: diplomacy\n"
           "    label: Diplomacy\n"
           "    color: \"#009E73\"\n"
           "  - id: society\n"
           "    label: Society\n"
           "  - id: technology\n"
           "    label: Science & technology\n\n");
    printf("events:\n");
}

static void put_event(rng *r, long i, long n)
{
    static const char *const source_ids[3] = {"gazette", "annual-report", "hearing"};
    long first = days_from_civil(FIRST_YEAR, 1, 1);
    long last = days_from_civil(LAST_YEAR, 12, 31);
    int is_span = rng_chance(r, 20);
    /* Spans start early enough to end by about 2022; point events fill the
     * range.  Roughly chronological, with some jitter. */
    long limit = is_span ? days_from_civil(LAST_YEAR - 2, 12, 31) : last;
    long day = first + (long)((double)(limit - first) * ((double)i + 0.5) / (double)n) +
               rng_range(r, -60, 60);
    if (day < first)
        day = first;
    if (day > limit)
        day = limit;

    gdate start, end;
    date_around(&start, r, day, !is_span || rng_chance(r, 30));
    if (is_span)
        date_end(&end, r, &start);

    char title[400];
    put_words(title, sizeof title, r, rng_range(r, 3, 12));
    if (rng_chance(r, 3)) {
        size_t len = strlen(title);
        snprintf(title + len, sizeof title - len, ": %s", words[rng_next(r) % NWORDS]);
    }

    printf("  - id: e%06ld\n", i + 1);
    printf("    date: %s\n", start.text);
    if (is_span)
        printf("    end: %s\n", end.text);
    put_text("    ", "title", title);
    if (rng_chance(r, 90))
        printf("    lane: %s\n", lane_ids[rng_next(r) % 6]);
    int imp = rng_range(r, 0, 99);
    if (imp < 25)
        printf("    importance: 1\n");
    else if (imp < 40)
        printf("    importance: 3\n");
    else if (imp < 70)
        printf("    importance: 2\n");
    /* else: the default, 2 */
    if (rng_chance(r, 15)) {
        char summary[600];
        put_words(summary, sizeof summary, r, rng_range(r, 10, 25));
        put_text("    ", "summary", summary);
    }
    if (rng_chance(r, 30)) {
        int nt = rng_range(r, 1, 3);
        size_t t0 = rng_next(r) % NTAGS;
        printf("    tags: [");
        for (int t = 0; t < nt; t++)
            printf("%s%s", t ? ", " : "", tagwords[(t0 + (size_t)t * 3) % NTAGS]);
        printf("]\n");
    }
    int cite = rng_range(r, 0, 99);
    if (cite < 25) {
        char quote[400];
        put_words(quote, sizeof quote, r, rng_range(r, 6, 20));
        printf("    sources:\n      - ref: %s\n", source_ids[rng_next(r) % 3]);
        put_text("        ", "quote", quote);
    } else if (cite < 40) {
        printf("    sources: [%s]\n", source_ids[rng_next(r) % 3]);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fputs("usage: bench-gen N [SEED] > file.yaml\n"
              "Writes a valid timeline file with N synthetic events (1..500000).\n",
              stderr);
        return 2;
    }
    char *end;
    errno = 0;
    long n = strtol(argv[1], &end, 10);
    if (errno || *argv[1] == '\0' || *end != '\0' || n < 1 || n > MAX_EVENTS) {
        fprintf(stderr, "bench-gen: N must be a whole number from 1 to %d, not '%s'\n",
                MAX_EVENTS, argv[1]);
        return 2;
    }
    uint64_t seed = 1;
    if (argc == 3) {
        errno = 0;
        unsigned long long s = strtoull(argv[2], &end, 10);
        if (errno || *argv[2] == '\0' || *end != '\0') {
            fprintf(stderr, "bench-gen: SEED must be a whole number, not '%s'\n", argv[2]);
            return 2;
        }
        seed = (uint64_t)s;
    }
    rng r = {seed * UINT64_C(0x2545F4914F6CDD1D) + 1};
    put_header(n);
    for (long i = 0; i < n; i++)
        put_event(&r, i, n);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("bench-gen: writing standard output");
        return 2;
    }
    return 0;
}
