/* schema.c — the format checker: a tree of nodes against the schema of
 * docs/format.md, into the document.
 *
 * Each walk reports every problem it finds with the node's position and
 * fills what is valid into the document (or, for what only the checks
 * read in a lean load, into the scratch arena).  Cross-checks between
 * parts of a document (unique ids, declared lanes and sources, spans) are
 * in validate.c and run only on a document that passed the walk, so that
 * one mistake is not reported twice. */
#include "schema.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The next sibling of a child. */
void tl_check_out_of_memory(loader *L)
{
    if (!L->nomem)
        tl_diag_add(L->diag, TL_ERROR, L->name, 0, 0, "out of memory");
    L->nomem = true;
}

/* Grows a malloc'd array to hold `need` elements, doubling. */
bool tl_check_grow(loader *L, void **arr, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : first;
    while (c < need)
        c *= 2;
    void *p = c <= SIZE_MAX / size ? realloc(*arr, c * size) : NULL;
    if (!p) {
        tl_check_out_of_memory(L);
        return false;
    }
    *arr = p;
    *cap = c;
    return true;
}

/* An error found by the walk: held back (see parse_doc). */
void tl_check_verr(loader *L, int line, int col, const char *fmt, va_list ap)
{
    char buf[1024];
    L->errors++;
    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t n = strlen(buf) + 1;
    char *msg = malloc(n);
    if (!msg || !tl_check_grow(L, (void **)&L->pend, &L->cappend, L->npend + 1, sizeof *L->pend, 16)) {
        free(msg);
        tl_check_out_of_memory(L);
        return;
    }
    memcpy(msg, buf, n);
    L->pend[L->npend++] = (pending){line, col, msg, false, 0, 0};
}

void tl_check_err(loader *L, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void tl_check_err(loader *L, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tl_check_verr(L, line, col, fmt, ap);
    va_end(ap);
}

void tl_check_err_at(loader *L, const node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tl_check_err_at(loader *L, const node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tl_check_verr(L, n->line, n->col, fmt, ap);
    va_end(ap);
}


/* True once looking further is pointless: the diag holds all it will. */
bool tl_check_full(const loader *L)
{
    /* A diag already full from earlier loads must not cut short a file in
     * which nothing is wrong yet. */
    return L->nomem ||
           (L->errors > 0 && (L->errors >= TL_DIAG_MAX_ERRORS || tl_diag_full(L->diag)));
}

/* Number of characters (not bytes) in s[0..n). */
size_t tl_check_utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* User text for a message: at most TL_QUOTE_CHARS characters, quoted by
 * the one function that makes text safe to print. */
const char *tl_check_show(const char *s, size_t len, char *buf, size_t size)
{
    return tl_diag_quote(s, len, TL_QUOTE_CHARS, buf, size);
}

const char *tl_check_kind_name(const node *n)
{
    return n->kind == N_SEQ ? "a list" : n->kind == N_MAP ? "a mapping" : "text";
}

tl_pos tl_check_pos_of(const node *n)
{
    tl_pos p = {n->line, n->col};
    return p;
}

/* ---- The schema walk --------------------------------------------------- */

/* YAML 1.1 nulls: nothing, ~, null.  Quoted text is never null. */
bool tl_check_is_null(const loader *L, const node *n)
{
    if (n->kind != N_SCALAR || n->style != TL_STYLE_PLAIN)
        return false;
    const char *t = txt(L, n);
    return n->len == 0 || strcmp(t, "~") == 0 || strcmp(t, "null") == 0 ||
           strcmp(t, "Null") == 0 || strcmp(t, "NULL") == 0;
}

/* Optimal string alignment distance (Damerau–Levenshtein with adjacent
 * transpositions), for suggesting the key that was meant. */
static int edit_distance(const char *a, size_t la, const char *b)
{
    enum { MAXLEN = 24 };
    size_t lb = strlen(b);
    if (la > MAXLEN || lb > MAXLEN)
        return 99;
    int d[MAXLEN + 1][MAXLEN + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

/* The keys one kind of mapping accepts. */
typedef struct schema {
    const char *what;            /* "event", for messages */
    const char *where;           /* "in event", "at the top level" */
    const char *const *keys;
    size_t nkeys;
} schema;

static void unknown_key(loader *L, const schema *s, const node *key)
{
    char shown[200];
    tl_check_show(txt(L, key), key->len, shown, sizeof shown);
    int best = 3;
    const char *guess = NULL;
    for (size_t i = 0; i < s->nkeys; i++) {
        int d = edit_distance(txt(L, key), key->len, s->keys[i]);
        if (d < best) {
            best = d;
            guess = s->keys[i];
        }
    }
    if (guess) {
        tl_check_err_at(L, key, "unknown key '%s' %s — did you mean '%s'?", shown, s->where, guess);
        return;
    }
    char list[400];
    size_t o = 0;
    for (size_t i = 0; i < s->nkeys && o < sizeof list; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", s->keys[i]);
    tl_check_err_at(L, key, "unknown key '%s' %s — the keys are: %s", shown, s->where, list);
}

/* Sorts a mapping's values by key into vals[] (NULL when absent),
 * reporting keys that are not text, unknown or given twice.  Returns false
 * when it stopped at the error cap: vals[] is then incomplete, and a key
 * it did not reach must not be reported missing. */
static bool collect(loader *L, const node *map, const schema *s, const node **vals)
{
    const node *keys[16] = {0};
    assert(s->nkeys <= sizeof keys / sizeof keys[0]);
    for (size_t i = 0; i < s->nkeys; i++)
        vals[i] = NULL;
    const node *k = map + 1, *v;
    for (uint32_t pair = 0; pair + 1 < map->n; pair += 2, k = next_of(v)) {
        v = next_of(k);
        if (tl_check_full(L))
            return false;
        if (k->bad)
            continue;
        if (k->kind != N_SCALAR) {
            tl_check_err_at(L, k, "a key must be a plain word, not %s", tl_check_kind_name(k));
            continue;
        }
        size_t i = 0;
        while (i < s->nkeys && !(strlen(s->keys[i]) == k->len && strcmp(s->keys[i], txt(L, k)) == 0))
            i++;
        if (i == s->nkeys) {
            unknown_key(L, s, k);
        } else if (keys[i]) {
            tl_check_err_at(L, k, "duplicate key '%s' — first given at line %d", s->keys[i],
                   keys[i]->line);
        } else {
            keys[i] = k;
            vals[i] = v;
        }
    }
    return true;
}

static void missing(loader *L, const node *map, const schema *s, const node *const *vals,
                    size_t i)
{
    if (!vals[i])
        tl_check_err_at(L, map, "%s is missing '%s'", s->what, s->keys[i]);
}

/* Lane ids, tags and source refs repeat across thousands of events: the
 * document keeps one copy of each, up to WORDS_MAX different ones (a file
 * of all-different tags then costs what it did without sharing). */
#define WORDS_MAX 4096
#define WORDS_SLOTS (2 * WORDS_MAX)

/* The document's copy of s[0..len): shared when seen before; NULL when out
 * of memory. */
static const char *shared(loader *L, const char *s, size_t len)
{
    if (!L->words && !(L->words = calloc(WORDS_SLOTS, sizeof *L->words)))
        return NULL;
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
    size_t j = (size_t)h & (WORDS_SLOTS - 1);
    for (; L->words[j]; j = (j + 1) & (WORDS_SLOTS - 1))
        if (strncmp(L->words[j], s, len) == 0 && L->words[j][len] == '\0')
            return L->words[j];
    char *copy = tl_arena_strndup(&L->doc->arena, s, len);
    if (copy && L->nwords < WORDS_MAX) {
        L->words[j] = copy;
        L->nwords++;
    }
    return copy;
}

/* Where a text goes: the document's arena, shared with its equals (see
 * `shared`), the loader's scratch arena, or nowhere (checked only). */
typedef enum text_keep { KEEP_DOC, KEEP_SHARED, KEEP_SCRATCH, KEEP_NONE } text_keep;

static bool check_text(loader *L, const node *v, const char *key);

/* Text for `key` from scalar v, checked and kept as `k` says.  Returns
 * false after reporting a problem; *out stays NULL when v is NULL or bad,
 * or when the text is not kept. */
static bool get_text_as(loader *L, const node *v, const char *key, size_t max, text_keep k,
                        const char **out)
{
    *out = NULL;
    if (!v || v->bad)
        return v == NULL;
    if (v->kind != N_SCALAR) {
        tl_check_err_at(L, v, "'%s' must be text, not %s", key, tl_check_kind_name(v));
        return false;
    }
    if (tl_check_is_null(L, v) || v->len == 0) {
        tl_check_err_at(L, v, "'%s' is empty", key);
        return false;
    }
    if (v->len > max) {
        tl_check_err_at(L, v, "'%s' is %u bytes long — the limit is %zu%s", key, (unsigned)v->len,
               max, max == TL_MAX_TITLE ? "; put the rest in 'summary'" : "");
        return false;
    }
    if (!check_text(L, v, key))
        return false;
    if (k == KEEP_NONE)
        return true;
    *out = k == KEEP_SHARED ? shared(L, txt(L, v), v->len)
           : tl_arena_strndup(k == KEEP_SCRATCH ? &L->scratch : &L->doc->arena, txt(L, v),
                              v->len);
    if (!*out) {
        tl_check_out_of_memory(L);
        return false;
    }
    return true;
}

static bool get_text(loader *L, const node *v, const char *key, size_t max, const char **out)
{
    return get_text_as(L, v, key, max, KEEP_DOC, out);
}

/* An id: text made of a-z, 0-9, '_' and '-'.  Kept as `k` says, which must
 * keep it. */
static bool get_id(loader *L, const node *v, text_keep k, const char **out)
{
    if (!get_text_as(L, v, "id", TL_MAX_TEXT, k, out) || !*out)
        return false;
    for (size_t i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)txt(L, v)[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
            continue;
        char shown[200], bad[16];
        size_t w = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        tl_check_show(txt(L, v) + i, w <= v->len - i ? w : v->len - i, bad, sizeof bad);
        tl_check_err_at(L, v, "id '%s' contains '%s' — ids use only a-z, 0-9, '_' and '-'",
               tl_check_show(txt(L, v), v->len, shown, sizeof shown), bad);
        *out = NULL;
        return false;
    }
    return true;
}

/* Column of byte `off` of scalar v's value in the source, when known. */
static int value_col(const loader *L, const node *v, size_t off)
{
    if (!v->exact)
        return v->col;
    if (off > v->len)
        off = v->len;
    size_t c = (size_t)v->col + (v->style == TL_STYLE_PLAIN ? 0 : 1) +
               tl_check_utf8_chars(txt(L, v), off);
    return c > INT32_MAX ? v->col : (int)c;
}

/* White space for locate: never an offending character, and not always
 * one character of the value per character of the source (folding).  A
 * value's CR or NEL comes from an escape: in the source, raw, they are
 * line breaks. */
bool tl_check_is_white(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == 0x2028 || c == 0x2029;
}

/* An error about the character at byte `off` of scalar v's value, at that
 * character when it can be found. */
static void err_char(loader *L, const node *v, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void err_char(loader *L, const node *v, size_t off, const char *fmt, ...)
{
    va_list ap;
    size_t before = L->npend;
    va_start(ap, fmt);
    tl_check_verr(L, v->line, value_col(L, v, off), fmt, ap);
    va_end(ap);
    if (v->exact || L->npend == before)
        return;
    /* Escapes, folding or several lines: count the characters before it
     * that are not white space, and find as many in the source later. */
    uint32_t units = 0, cp;
    const unsigned char *u = (const unsigned char *)txt(L, v);
    for (size_t i = 0; i < off && i < v->len;) {
        size_t w = tl_utf8_decode(u + i, v->len - i, &cp);
        if (w == 0)
            break;
        units += !tl_check_is_white(cp);
        i += w;
    }
    pending *p = &L->pend[L->npend - 1];
    p->locate = true;
    p->style = v->style;
    p->unit = units;
}

/* Refuses text a field may not hold, at the offending character. */
static bool check_text(loader *L, const node *v, const char *key)
{
    size_t off;
    uint32_t cp;
    tl_text_fault f = tl_text_check(txt(L, v), v->len, &off, &cp);
    if (f == TL_TEXT_OK)
        return true;
    char what[200];
    err_char(L, v, off, "'%s' %s", key, tl_text_fault_text(f, cp, what, sizeof what));
    return false;
}

static bool parse_date_scalar(loader *L, const node *v, const char *key, tl_date *out)
{
    if (tl_check_is_null(L, v)) {
        tl_check_err_at(L, v, "'%s' is empty", key);
        return false;
    }
    if (v->len > 200 || memchr(txt(L, v), '\0', v->len)) {
        char shown[200];
        tl_check_err_at(L, v, "invalid date '%s' — see the date forms in docs/format.md",
               tl_check_show(txt(L, v), v->len, shown, sizeof shown));
        return false;
    }
    char msg[1024];
    size_t off = 0;
    msg[0] = '\0';
    if (!tl_date_parse(txt(L, v), out, msg, sizeof msg, &off)) {
        tl_check_err(L, v->line, value_col(L, v, off), "%s", msg[0] ? msg : "invalid date");
        return false;
    }
    return true;
}

static const char *const bounded_keys[] = {"after", "before"};
static const schema bounded_schema = {"date", "in a date", bounded_keys, 2};

/* A date: a scalar, or a mapping {after, before}. */
static bool get_date(loader *L, const node *v, const char *key, tl_date *out)
{
    if (v->bad)
        return false;
    if (v->kind == N_SCALAR)
        return parse_date_scalar(L, v, key, out);
    if (v->kind != N_MAP) {
        tl_check_err_at(L, v, "'%s' must be a date or {after: DATE, before: DATE}, not a list", key);
        return false;
    }
    const node *vals[2];
    tl_date side[2];
    bool ok = true;
    if (!collect(L, v, &bounded_schema, vals))
        return false;
    for (int i = 0; i < 2; i++) {
        if (!vals[i] || vals[i]->bad) {
            ok = ok && vals[i] == NULL;
            continue;
        }
        if (vals[i]->kind != N_SCALAR) {
            tl_check_err_at(L, vals[i], "'%s' must be a date, not %s", bounded_keys[i],
                   tl_check_kind_name(vals[i]));
            ok = false;
        } else if (!parse_date_scalar(L, vals[i], bounded_keys[i], &side[i])) {
            ok = false;
        }
    }
    if (!ok)
        return false;
    if (!vals[0] && !vals[1]) {
        tl_check_err_at(L, v, "a bounded date needs 'after', 'before' or both");
        return false;
    }
    char msg[1024];
    msg[0] = '\0';
    if (!tl_date_bounded(vals[0] ? &side[0] : NULL, vals[1] ? &side[1] : NULL, out, msg,
                         sizeof msg)) {
        tl_check_err_at(L, vals[1] ? vals[1] : v, "%s", msg[0] ? msg : "invalid bounded date");
        return false;
    }
    return true;
}

/* A list where one is expected: NULL (reported) when v is something else. */
static const node *get_list(loader *L, const node *v, const char *key, const char *of)
{
    if (v->bad)
        return NULL;
    if (tl_check_is_null(L, v)) {
        tl_check_err_at(L, v, "'%s' is empty", key);
        return NULL;
    }
    if (v->kind != N_SEQ) {
        tl_check_err_at(L, v, "'%s' must be a list of %s, not %s", key, of, tl_check_kind_name(v));
        return NULL;
    }
    return v;
}

/* A link: text, and an http, https or mailto URL. */
static void get_url(loader *L, const node *v, const char **out)
{
    if (!get_text(L, v, "url", TL_MAX_TEXT, out) || !*out)
        return;
    size_t off;
    const char *why = tl_url_problem(*out, v->len, &off);
    if (!why)
        return;
    char shown[TL_QUOTE_SIZE];
    tl_check_show(*out, v->len, shown, sizeof shown);
    if (off == 0)
        tl_check_err_at(L, v, "url '%s' %s", shown, why);
    else
        err_char(L, v, off, "url '%s' %s", shown, why);
    *out = NULL;
}

/* ---- Sources ---- */

enum { SR_ID, SR_TITLE, SR_AUTHOR, SR_PUBLISHER, SR_DATE, SR_URL, SR_FILE, SR_N };
static const char *const source_keys[SR_N] = {"id", "title", "author", "publisher",
                                              "date", "url", "file"};
static const schema source_schema = {"source", "in source", source_keys, SR_N};

static void walk_source(loader *L, const node *map, tl_source *s)
{
    const node *v[SR_N];
    if (map->bad)
        return;
    if (map->kind != N_MAP) {
        tl_check_err_at(L, map, "each source must be a mapping with 'id' and 'title', not %s",
               tl_check_kind_name(map));
        return;
    }
    s->pos = tl_check_pos_of(map);
    if (!collect(L, map, &source_schema, v))
        return;
    missing(L, map, &source_schema, v, SR_ID);
    missing(L, map, &source_schema, v, SR_TITLE);
    if (v[SR_ID]) {
        s->id_pos = tl_check_pos_of(v[SR_ID]);
        get_id(L, v[SR_ID], KEEP_DOC, &s->id);
    }
    get_text(L, v[SR_TITLE], "title", TL_MAX_TEXT, &s->title);
    get_text(L, v[SR_AUTHOR], "author", TL_MAX_TEXT, &s->author);
    get_text(L, v[SR_PUBLISHER], "publisher", TL_MAX_TEXT, &s->publisher);
    get_url(L, v[SR_URL], &s->url);
    if (v[SR_FILE]) {
        s->file_pos = tl_check_pos_of(v[SR_FILE]);
        get_text(L, v[SR_FILE], "file", TL_MAX_TEXT, &s->file);
    }
    if (v[SR_DATE])
        s->has_date = get_date(L, v[SR_DATE], "date", &s->date);
}

/* ---- Lanes ---- */

enum { LN_ID, LN_LABEL, LN_COLOR, LN_N };
static const char *const lane_keys[LN_N] = {"id", "label", "color"};
static const schema lane_schema = {"lane", "in lane", lane_keys, LN_N};

int tl_check_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void get_color(loader *L, const node *v, tl_lane *lane)
{
    if (v->bad)
        return;
    if (tl_check_is_null(L, v)) {
        tl_check_err_at(L, v, "'color' is empty — an unquoted # starts a YAML comment: "
                     "write color: \"#D55E00\"");
        return;
    }
    if (v->kind != N_SCALAR) {
        tl_check_err_at(L, v, "'color' must be text like \"#D55E00\", not %s", tl_check_kind_name(v));
        return;
    }
    uint32_t rgb = 0;
    bool ok = v->len == 7 && txt(L, v)[0] == '#';
    for (size_t i = 1; ok && i < 7; i++) {
        int d = tl_check_hex_digit(txt(L, v)[i]);
        ok = d >= 0;
        rgb = rgb << 4 | (uint32_t)(d & 0xF);
    }
    if (!ok) {
        char shown[200];
        tl_check_err_at(L, v, "'color' must be \"#RRGGBB\" (e.g. \"#D55E00\"), not '%s'",
               tl_check_show(txt(L, v), v->len, shown, sizeof shown));
        return;
    }
    lane->has_color = true;
    lane->color = rgb;
}

static void walk_lane(loader *L, const node *map, tl_lane *lane)
{
    const node *v[LN_N];
    if (map->bad)
        return;
    if (map->kind != N_MAP) {
        tl_check_err_at(L, map, "each lane must be a mapping with an 'id', not %s", tl_check_kind_name(map));
        return;
    }
    lane->pos = tl_check_pos_of(map);
    if (!collect(L, map, &lane_schema, v))
        return;
    missing(L, map, &lane_schema, v, LN_ID);
    if (v[LN_ID]) {
        lane->id_pos = tl_check_pos_of(v[LN_ID]);
        get_id(L, v[LN_ID], KEEP_DOC, &lane->id);
    }
    get_text(L, v[LN_LABEL], "label", TL_MAX_TEXT, &lane->label);
    if (!lane->label)
        lane->label = lane->id;
    if (v[LN_COLOR])
        get_color(L, v[LN_COLOR], lane);
}

/* ---- Events ---- */

enum { EV_ID, EV_DATE, EV_END, EV_TITLE, EV_SUMMARY, EV_LANE, EV_TAGS, EV_IMPORTANCE,
       EV_URL, EV_NOTE, EV_SOURCES, EV_N };
static const char *const event_keys[EV_N] = {"id", "date", "end", "title", "summary",
                                             "lane", "tags", "importance", "url", "note",
                                             "sources"};
static const schema event_schema = {"event", "in event", event_keys, EV_N};

enum { CT_REF, CT_QUOTE, CT_N };
static const char *const cite_keys[CT_N] = {"ref", "quote"};
static const schema cite_schema = {"citation", "in citation", cite_keys, CT_N};

static void walk_tags(loader *L, const node *v, tl_event_info *e)
{
    const node *list = get_list(L, v, "tags", "words");
    if (!list)
        return;
    if (list->n > TL_MAX_TAGS) {
        tl_check_err_at(L, child(list, TL_MAX_TAGS), "too many tags — the limit is %d per event", TL_MAX_TAGS);
        return;
    }
    e->tags = tl_arena_array(L->plan->lean ? &L->scratch : &L->doc->arena,
                             list->n ? list->n : 1, sizeof *e->tags);
    if (!e->tags) {
        tl_check_out_of_memory(L);
        return;
    }
    const node *t = list + 1;
    for (uint32_t i = 0; i < list->n; i++, t = next_of(t)) {
        const char *tag;
        if (get_text_as(L, t, "tag", TL_MAX_TEXT, KEEP_SHARED, &tag) && tag) {
            assert(e->ntags < list->n);
            e->tags[e->ntags++] = tag;
        }
    }
}

/* The citations go with the event's info; the sources they name, which a
 * chart reads, with the event. */
static void walk_cites(loader *L, const node *v, tl_event *e)
{
    const node *list = get_list(L, v, "sources", "source ids or {ref, quote}");
    if (!list)
        return;
    if (list->n > TL_MAX_CITES) {
        tl_check_err_at(L, child(list, TL_MAX_CITES), "too many sources — the limit is %d per event", TL_MAX_CITES);
        return;
    }
    size_t n = list->n ? list->n : 1;
    tl_citation *cites = e->info->cites =
        tl_arena_array(L->plan->lean ? &L->scratch : &L->doc->arena, n, sizeof *cites);
    e->cited = tl_arena_array(&L->doc->arena, n, sizeof *e->cited);
    if (!cites || !e->cited) {
        tl_check_out_of_memory(L);
        return;
    }
    const node *item = list + 1;
    for (uint32_t i = 0; i < list->n && !tl_check_full(L); i++, item = next_of(item)) {
        if (item->bad)
            continue;
        assert(e->ncites < n);
        tl_citation *c = &cites[e->ncites];
        e->cited[e->ncites] = -1;
        c->pos = tl_check_pos_of(item);
        if (item->kind == N_SCALAR) {
            /* A bare id: a citation without a quote. */
            c->ref_pos = c->pos;
            if (get_text_as(L, item, "ref", TL_MAX_TEXT, KEEP_SHARED, &c->ref) && c->ref)
                e->ncites++;
            continue;
        }
        if (item->kind != N_MAP) {
            tl_check_err_at(L, item, "each citation must be a source id or {ref: ID, quote: TEXT}, "
                            "not a list");
            continue;
        }
        const node *cv[CT_N];
        if (!collect(L, item, &cite_schema, cv))
            break;
        missing(L, item, &cite_schema, cv, CT_REF);
        bool ok = cv[CT_REF] != NULL;
        if (cv[CT_REF]) {
            c->ref_pos = tl_check_pos_of(cv[CT_REF]);
            ok = get_text_as(L, cv[CT_REF], "ref", TL_MAX_TEXT, KEEP_SHARED, &c->ref) && c->ref;
        }
        if (cv[CT_QUOTE]) {
            c->quote_pos = tl_check_pos_of(cv[CT_QUOTE]);
            ok = get_text_as(L, cv[CT_QUOTE], "quote", TL_MAX_TEXT,
                             L->plan->lean ? KEEP_NONE : KEEP_DOC, &c->quote) && ok;
        }
        if (ok)
            e->ncites++;
    }
}

static void get_importance(loader *L, const node *v, tl_event *e)
{
    if (v->bad)
        return;
    if (tl_check_is_null(L, v)) {
        tl_check_err_at(L, v, "'importance' is empty");
        return;
    }
    if (v->kind != N_SCALAR) {
        tl_check_err_at(L, v, "importance must be 1, 2 or 3, not %s", tl_check_kind_name(v));
        return;
    }
    if (v->style == TL_STYLE_PLAIN && v->len == 1 && txt(L, v)[0] >= '1' &&
        txt(L, v)[0] <= '3') {
        e->importance = txt(L, v)[0] - '0';
        return;
    }
    char shown[200];
    tl_check_show(txt(L, v), v->len, shown, sizeof shown);
    if (v->style != TL_STYLE_PLAIN && v->len == 1 && txt(L, v)[0] >= '1' &&
        txt(L, v)[0] <= '3')
        tl_check_err_at(L, v, "importance must be the number 1, 2 or 3 — write it without quotes");
    else
        tl_check_err_at(L, v, "importance must be 1, 2 or 3, not '%s'", shown);
}

static void walk_event(loader *L, const node *map, tl_event *e)
{
    const node *v[EV_N];
    e->lane = -1;
    e->importance = 2;
    if (map->bad)
        return;
    if (map->kind != N_MAP) {
        tl_check_err_at(L, map, "each event must be a mapping with 'id', 'date' and 'title', not %s",
               tl_check_kind_name(map));
        return;
    }
    if (!collect(L, map, &event_schema, v))
        return;
    bool lean = L->plan->lean;
    tl_event_info *in = tl_arena_alloc(lean ? &L->scratch : &L->doc->arena, sizeof *in);
    if (!in) {
        tl_check_out_of_memory(L);
        return;
    }
    e->info = in;
    missing(L, map, &event_schema, v, EV_ID);
    missing(L, map, &event_schema, v, EV_DATE);
    missing(L, map, &event_schema, v, EV_TITLE);
    if (v[EV_ID]) {
        in->id_pos = tl_check_pos_of(v[EV_ID]);
        get_id(L, v[EV_ID], lean ? KEEP_SCRATCH : KEEP_DOC, &in->id);
    }
    if (v[EV_DATE])
        get_date(L, v[EV_DATE], "date", &e->date);
    if (v[EV_END]) {
        in->end_pos = tl_check_pos_of(v[EV_END]);
        tl_date end;
        if (get_date(L, v[EV_END], "end", &end)) {
            tl_date *kept = tl_arena_alloc(&L->doc->arena, sizeof *kept);
            if (kept) {
                *kept = end;
                e->end = kept;
            } else {
                tl_check_out_of_memory(L);
            }
        }
    }
    if (v[EV_TITLE])
        get_text(L, v[EV_TITLE], "title", TL_MAX_TITLE, &e->title);
    tl_event_extra ex = {NULL, NULL};
    get_text_as(L, v[EV_SUMMARY], "summary", TL_MAX_TEXT,
                lean && !L->plan->summaries ? KEEP_NONE : KEEP_DOC, &ex.summary);
    if (v[EV_LANE]) {
        in->lane_pos = tl_check_pos_of(v[EV_LANE]);
        get_text_as(L, v[EV_LANE], "lane", TL_MAX_TEXT, KEEP_SHARED, &in->lane_id);
    }
    if (v[EV_TAGS])
        walk_tags(L, v[EV_TAGS], in);
    if (v[EV_IMPORTANCE])
        get_importance(L, v[EV_IMPORTANCE], e);
    get_url(L, v[EV_URL], &ex.url);
    if (ex.summary || ex.url) {
        tl_event_extra *kept = tl_arena_alloc(&L->doc->arena, sizeof *kept);
        if (kept) {
            *kept = ex;
            e->extra = kept;
        } else {
            tl_check_out_of_memory(L);
        }
    }
    get_text_as(L, v[EV_NOTE], "note", TL_MAX_TEXT, lean ? KEEP_NONE : KEEP_DOC, &in->note);
    if (v[EV_SOURCES])
        walk_cites(L, v[EV_SOURCES], e);
}

/* ---- The top level ---- */

const char *const tl_check_top_keys[TOP_N] = {"title",  "subtitle", "sources",  "lanes",
                                               "events", "timezone", "language"};
static const schema top_schema = {"the file", "at the top level", tl_check_top_keys, TOP_N};

/* Index of key k among the top-level keys, or TOP_N. */
size_t tl_check_top_key(const loader *L, const node *k)
{
    size_t i = 0;
    while (i < TOP_N && !(k->kind == N_SCALAR && strlen(tl_check_top_keys[i]) == k->len &&
                          strcmp(tl_check_top_keys[i], txt(L, k)) == 0))
        i++;
    return i;
}

/* One list item, walked as soon as it is complete. */
void tl_check_walk_item(loader *L, size_t list, const node *item)
{
    tl_doc *doc = L->doc;
    if (list == TOP_EVENTS) {
        if (!tl_check_grow(L, (void **)&L->events, &L->capevents, L->nevents + 1, sizeof(tl_event), 256))
            return;
        tl_event *e = &L->events[L->nevents++];
        memset(e, 0, sizeof *e);
        walk_event(L, item, e);
    } else if (list == TOP_LANES) {
        if (!doc->lanes && !(doc->lanes = tl_arena_array(&doc->arena, TL_MAX_LANES,
                                                         sizeof *doc->lanes))) {
            tl_check_out_of_memory(L);
            return;
        }
        /* classify() keeps no item past the limit. */
        assert(doc->nlanes < TL_MAX_LANES);
        walk_lane(L, item, &doc->lanes[doc->nlanes++]);
    } else {
        if (!doc->sources && !(doc->sources = tl_arena_array(&doc->arena, TL_MAX_SOURCES,
                                                             sizeof *doc->sources))) {
            tl_check_out_of_memory(L);
            return;
        }
        assert(doc->nsources < TL_MAX_SOURCES);
        walk_source(L, item, &doc->sources[doc->nsources++]);
    }
}

size_t tl_check_list_limit(size_t list)
{
    return list == TOP_EVENTS ? TL_MAX_EVENTS : list == TOP_LANES ? TL_MAX_LANES : TL_MAX_SOURCES;
}

/* 'timezone:': UTC or an offset, read at once; a zone name, kept to be
 * read once the events' instants are known (see load.c). */
static void top_timezone(loader *L, const node *v)
{
    tl_doc *doc = L->doc;
    char msg[160];
    if (v->kind != N_SCALAR || tl_check_is_null(L, v) || v->len > 64 ||
        memchr(txt(L, v), 0, v->len)) {
        tl_check_err_at(L, v, "'timezone' takes UTC, an offset such as +09:00 or a zone name "
                        "such as Asia/Seoul");
    } else if (tl_zone_parse(txt(L, v), &doc->tz, msg, sizeof msg)) {
        doc->tz_given = true;
    } else if (strchr(txt(L, v), '/')) {
        L->tz_name = tl_arena_strdup(&doc->arena, txt(L, v));
        L->tz_line = v->line;
        L->tz_col = v->col;
        doc->tz_given = L->tz_name != NULL;
        if (!L->tz_name)
            tl_check_out_of_memory(L);
    } else {
        tl_check_err_at(L, v, "%s", msg);
    }
}

/* One top-level entry, checked as soon as its value is complete.  A list's
 * items have been walked already; what is left is the list itself. */
void tl_check_top_entry(loader *L, const node *k, const node *v)
{
    tl_doc *doc = L->doc;
    if (k->bad)
        return;
    if (k->kind != N_SCALAR) {
        tl_check_err_at(L, k, "a key must be a plain word, not %s", tl_check_kind_name(k));
        return;
    }
    size_t i = tl_check_top_key(L, k);
    if (i == TOP_N) {
        unknown_key(L, &top_schema, k);
        return;
    }
    if (L->top_line[i]) {
        tl_check_err_at(L, k, "duplicate key '%s' — first given at line %d", tl_check_top_keys[i],
               L->top_line[i]);
        return;
    }
    L->top_line[i] = k->line;
    if (i == TOP_TITLE || i == TOP_SUBTITLE) {
        /* A title is a title's length, wherever it is; a subtitle any text's. */
        if (i == TOP_TITLE && v->kind == N_SCALAR && v->len > TL_MAX_TITLE) {
            tl_check_err_at(L, v, "'title' is %u bytes long — the limit is %d; put the rest in "
                            "'subtitle'", (unsigned)v->len, TL_MAX_TITLE);
            return;
        }
        get_text(L, v, tl_check_top_keys[i], TL_MAX_TEXT, i == TOP_TITLE ? &doc->title : &doc->subtitle);
        return;
    }
    if (v->bad)
        return;
    if (i == TOP_TIMEZONE) {
        top_timezone(L, v);
        return;
    }
    if (i == TOP_LANGUAGE) {
        if (v->kind != N_SCALAR || v->len > 8 || strlen(txt(L, v)) != v->len ||
            !tl_lang_parse(txt(L, v), &doc->lang))
            tl_check_err_at(L, v, "'language' takes " TL_LANG_CODES);
        return;
    }
    if (i == TOP_EVENTS) {
        doc->events_pos = tl_check_pos_of(v);
        if (tl_check_is_null(L, v) || (v->kind == N_SEQ && v->n == 0)) {
            tl_check_err_at(L, v, "'events' is empty — a timeline needs at least one event");
            return;
        }
    }
    get_list(L, v, tl_check_top_keys[i], tl_check_top_keys[i]);
}


/* ---- Places in a built document ---------------------------------------- */

size_t tl_pos_place(tl_pos pos, bool item_only, char *buf, size_t size)
{
    static const char *const kinds[] = {"document", "source", "lane", "event"};
    static const char *const *const keys[] = {tl_check_top_keys, source_keys, lane_keys,
                                              event_keys};
    static const size_t nkeys[] = {TOP_N, SR_N, LN_N, EV_N};
    int code = -1 - pos.col;
    int kind = code / 32, field = code % 32;
    int n;
    if (code < 0 || kind > TL_PART_EVENT || (size_t)field > nkeys[kind])
        n = snprintf(buf, size, "%s", "<code>");
    else if (kind == TL_PART_DOC)
        n = snprintf(buf, size, "%s", field ? tl_check_top_keys[field - 1] : "document");
    else if (item_only || field == 0)
        n = snprintf(buf, size, "%s %d", kinds[kind], pos.line);
    else
        n = snprintf(buf, size, "%s %d, %s", kinds[kind], pos.line, keys[kind][field - 1]);
    return n < 0 ? 0 : (size_t)n;
}
