/* render.c — draws chart items with Cairo, text with Pango.
 *
 * Nothing here decides a position: the layout did.  Text items normally
 * carry the PangoLayout they were measured with, so each label is shaped
 * once. */
#include "render.h"

#include "diag.h"
#include "text.h"

#include <math.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_FAMILY "DejaVu Sans"
#define FONT_CACHE 24
#define TL_PI 3.14159265358979323846
/* How far, in ems, a glyph's ink may reach outside its label's box. */
#define INK_MARGIN 0.25

typedef struct cached_font {
    double size;
    bool bold, italic;
    PangoFontDescription *desc;
    double narrowest;   /* least width per character seen on one line, Pango
                         * units; 0 until a long enough text was measured */
} cached_font;

/* One bit per Unicode script (GUnicodeScript), and one for emoji. */
#define SCRIPT_BITS 512
#define SCRIPT_EMOJI (SCRIPT_BITS - 1)

struct tl_fonts {
    PangoFontMap *map;
    PangoContext *context;
    PangoAttrList *attrs;   /* every layout's: no ligatures */
    char *family;
    cached_font cache[FONT_CACHE];
    int ncache;
    tl_diag *diag;          /* for warnings about missing glyphs; may be NULL */
    uint8_t warned[SCRIPT_BITS / 8];   /* scripts already warned about */
};

static bool family_exists(PangoFontMap *map, const char *name, int *nfamilies)
{
    PangoFontFamily **fams = NULL;
    int n = 0;
    pango_font_map_list_families(map, &fams, &n);
    bool found = false;
    for (int i = 0; i < n && !found; i++)
        found = g_ascii_strcasecmp(pango_font_family_get_name(fams[i]), name) == 0;
    g_free(fams);
    *nfamilies = n;
    return found;
}

tl_status tl_fonts_new(const char *family, tl_fonts **out, tl_diag *diag)
{
    return tl_fonts_new_map(family, NULL, out, diag);
}

tl_status tl_fonts_new_map(const char *family, PangoFontMap *map, tl_fonts **out,
                           tl_diag *diag)
{
    *out = NULL;
    tl_fonts *f = calloc(1, sizeof *f);
    if (!f)
        return TL_ERR_NOMEM;
    f->map = map ? g_object_ref(map) : pango_cairo_font_map_new();
    if (!f->map) {
        free(f);
        return TL_ERR_FONT;
    }
    /* The caller's map is read, never changed: its resolution is set on
     * our context below. */
    if (!map)
        pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(f->map), 72.0);
    int nfam = 0;
    const char *want = family ? family : DEFAULT_FAMILY;
    bool ok = family_exists(f->map, want, &nfam);
    /* Pango always lists the generic aliases (Sans, Serif, Monospace), so
     * ask fontconfig, which it draws from, whether any font exists.  A
     * caller's map may draw from a configuration of its own. */
    FcFontSet *system = map ? NULL : FcConfigGetFonts(FcConfigGetCurrent(), FcSetSystem);
    if (nfam == 0 || (!map && (!system || system->nfont == 0))) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0,
                    "no fonts found on this machine — install a font package such as "
                    "fonts-dejavu-core");
        tl_fonts_free(f);
        return TL_ERR_FONT;
    }
    if (!ok) {
        int unused;
        const char *fallback = family_exists(f->map, DEFAULT_FAMILY, &unused) ? DEFAULT_FAMILY
                                                                              : "Sans";
        if (family)
            tl_diag_add(diag, TL_WARNING, NULL, 0, 0, "font '%s' not found — using '%s'",
                        family, fallback);
        want = fallback;
    }
    f->family = g_strdup(want);
    f->diag = diag;
    f->context = pango_font_map_create_context(f->map);
    pango_cairo_context_set_resolution(f->context, 72.0);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(f->context, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(f->context, FALSE);
    f->attrs = pango_attr_list_new();
    pango_attr_list_insert(f->attrs, pango_attr_font_features_new("liga 0"));
    *out = f;
    return TL_OK;
}

void tl_fonts_free(tl_fonts *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->ncache; i++)
        pango_font_description_free(f->cache[i].desc);
    if (f->context)
        g_object_unref(f->context);
    if (f->attrs)
        pango_attr_list_unref(f->attrs);
    if (f->map)
        g_object_unref(f->map);
    g_free(f->family);
    free(f);
}

/* Font descriptions are few (a handful of sizes): keep them. */
static cached_font *font_entry(tl_fonts *f, const tl_font *font)
{
    for (int i = 0; i < f->ncache; i++) {
        cached_font *c = &f->cache[i];
        if (c->size == font->size && c->bold == font->bold && c->italic == font->italic)
            return c;
    }
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, f->family);
    pango_font_description_set_absolute_size(d, font->size * PANGO_SCALE);
    pango_font_description_set_weight(d, font->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(d, font->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    if (f->ncache == FONT_CACHE) {
        /* Full: drop the oldest entry. */
        pango_font_description_free(f->cache[0].desc);
        memmove(f->cache, f->cache + 1, (FONT_CACHE - 1) * sizeof f->cache[0]);
        f->ncache--;
    }
    f->cache[f->ncache] = (cached_font){font->size, font->bold, font->italic, d, 0};
    return &f->cache[f->ncache++];
}

static void set_wrap(PangoLayout *l, double wrap, int max_lines)
{
    pango_layout_set_width(l, (int)(wrap * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    if (max_lines > 0) {
        pango_layout_set_height(l, -max_lines);
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    }
}

static PangoLayout *make_layout(tl_fonts *f, const char *text, const tl_font *font, double wrap,
                                int max_lines)
{
    PangoLayout *l = pango_layout_new(f->context);
    pango_layout_set_font_description(l, font_entry(f, font)->desc);
    pango_layout_set_attributes(l, f->attrs);
    if (wrap > 0)
        set_wrap(l, wrap, max_lines);
    pango_layout_set_text(l, text, -1);
    return l;
}

/* Greedy line breaking of a text at `width` (Pango units), from the width
 * of each character and where a line may break: the number of lines, 0
 * when a word is wider than `width`.  With `breaks`, the character index
 * each line after the first begins at.  White space that ends a line does
 * not count, as it is not seen. */
static int greedy_lines(const int *adv, const PangoLogAttr *attrs, int n, long width,
                        int *breaks)
{
    int lines = 1, start = 0, brk = -1;
    long w = 0, at_brk = 0, white = 0;  /* from start; from start to brk */
    for (int i = 0; i < n; i++) {
        if (i > start && attrs[i].is_line_break) {
            brk = i;
            at_brk = w;
        }
        w += adv[i];
        white = attrs[i].is_white ? white + adv[i] : 0;
        if (w - white <= width)
            continue;
        if (brk <= start)
            return 0;
        if (breaks)
            breaks[lines - 1] = brk;
        lines++;
        start = brk;
        w -= at_brk;
        brk = -1;
    }
    return lines;
}

/* The width of each character of `text` as laid out in `l`, into adv[n]
 * (zeroed).  False when a line runs right to left or holds an ellipsis:
 * then the widths are not simply summed left to right. */
static bool char_widths(PangoLayout *l, const char *text, int n, int *adv)
{
    const char *seen = text;   /* left to right: clusters only move on */
    long at_char = 0;
    for (GSList *ln = pango_layout_get_lines_readonly(l); ln; ln = ln->next) {
        PangoLayoutLine *line = ln->data;
        if (line->resolved_dir != PANGO_DIRECTION_LTR)
            return false;
        for (GSList *r = line->runs; r; r = r->next) {
            PangoGlyphItem *run = r->data;
            if (run->item->analysis.level % 2 ||
                (run->item->analysis.flags & PANGO_ANALYSIS_FLAG_IS_ELLIPSIS))
                return false;
            for (int g = 0; g < run->glyphs->num_glyphs; g++) {
                const char *at = text + run->item->offset + run->glyphs->log_clusters[g];
                if (at < seen)
                    return false;
                at_char += g_utf8_strlen(seen, at - seen);
                seen = at;
                if (at_char < n)
                    adv[at_char] += run->glyphs->glyphs[g].geometry.width;
            }
        }
    }
    return true;
}

/* `text` laid out with its lines broken before the characters breaks[k]:
 * each break replaces the space before it with a line break, or puts one
 * in where there is none (after a hyphen).  NULL when Pango measures the
 * result wider than `wrap` or in other than nbreaks + 1 lines. */
static PangoLayout *set_breaks(tl_fonts *f, const char *text, const tl_font *font,
                               const PangoLogAttr *attrs, const int *breaks, int nbreaks,
                               long wrap, PangoRectangle *out)
{
    size_t len = strlen(text);
    char *t = malloc(len + (size_t)nbreaks + 1);
    if (!t)
        return NULL;
    size_t o = 0, from = 0;
    for (int k = 0; k < nbreaks; k++) {
        size_t at = (size_t)(g_utf8_offset_to_pointer(text, breaks[k]) - text);
        bool space = attrs[breaks[k] - 1].is_white && text[at - 1] == ' ';
        size_t upto = space ? at - 1 : at;
        memcpy(t + o, text + from, upto - from);
        o += upto - from;
        t[o++] = '\n';
        from = at;
    }
    memcpy(t + o, text + from, len - from + 1);
    PangoLayout *b = make_layout(f, t, font, 0, 0);
    free(t);
    pango_layout_get_extents(b, NULL, out);
    if (pango_layout_get_line_count(b) != nbreaks + 1 || out->width > wrap) {
        g_object_unref(b);
        return NULL;
    }
    return b;
}

/* Whether `text` may be set with breaks of our own: no forced break (the
 * lines are one paragraph's) and no soft hyphen, which shows only where
 * Pango's own wrapping breaks. */
static bool plain_breaks(const char *text, const PangoLogAttr *attrs, int n)
{
    for (int i = 1; i < n; i++)
        if (attrs[i].is_mandatory_break)
            return false;
    return !strstr(text, "\xC2\xAD");
}

/* Evens out the lines of a text too wide for one line, as CSS's
 * `text-wrap: balance` does: as few lines as the text needs at the wrap
 * width, at the least width that holds them, so no label ends with one
 * word ("talks") under a full line.  Greedy breaking needs the fewest
 * lines for a width, so that width is found by bisection over the widths
 * of the characters in `l`, the text shaped on one line, and the text is
 * set with its lines broken there (Pango's own breaking at that width
 * wants a few points more).  Returns the new layout, or NULL for Pango's
 * wrapping: a text that needs more than `max_lines` lines (cut with an
 * ellipsis), has a forced break, a soft hyphen, a word wider than the
 * wrap, or is set right to left. */
static PangoLayout *balanced(tl_fonts *f, PangoLayout *l, const tl_font *font, long wrap,
                             int max_lines, PangoRectangle *out)
{
    const char *text = pango_layout_get_text(l);
    int n_attrs;
    const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(l, &n_attrs);
    int n = n_attrs - 1;
    if (n < 2 || n > TL_MAX_TEXT || pango_layout_get_line_count(l) != 1)
        return NULL;
    int *adv = calloc((size_t)n + (size_t)max_lines, sizeof *adv), *breaks = adv + n;
    if (!adv)
        return NULL;
    PangoLayout *b = NULL;
    int lines = plain_breaks(text, attrs, n) && char_widths(l, text, n, adv)
                    ? greedy_lines(adv, attrs, n, wrap, NULL)
                    : 0;
    if (lines >= 2 && lines <= max_lines) {
        long lo = 0, hi = wrap; /* at most `lines` lines at hi; more, or none, at lo */
        while (hi - lo > PANGO_SCALE / 8) {
            long mid = (lo + hi) / 2;
            int k = greedy_lines(adv, attrs, n, mid, NULL);
            if (k > 0 && k <= lines)
                hi = mid;
            else
                lo = mid;
        }
        lines = greedy_lines(adv, attrs, n, hi, breaks);
        b = set_breaks(f, text, font, attrs, breaks, lines - 1, wrap, out);
    }
    free(adv);
    return b;
}

/* A paragraph wrapped by Pango whose last line is one word, an orphan, set
 * again with the word before it carried down: the line above stays at two
 * words or more, and the last must fit.  NULL when there is no orphan, or
 * it cannot be mended (see `balanced` for the texts left to Pango). */
static PangoLayout *without_orphan(tl_fonts *f, PangoLayout *l, const tl_font *font, long wrap,
                                   PangoRectangle *out)
{
    int lines = pango_layout_get_line_count(l);
    const char *text = pango_layout_get_text(l);
    int n_attrs;
    const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(l, &n_attrs);
    int n = n_attrs - 1;
    if (lines < 2 || n > TL_MAX_TEXT || !plain_breaks(text, attrs, n))
        return NULL;
    int *adv = calloc((size_t)n + (size_t)lines, sizeof *adv), *breaks = adv + n;
    if (!adv)
        return NULL;
    int k = 0;   /* the lines' first characters, after the first line */
    for (GSList *ln = pango_layout_get_lines_readonly(l)->next; ln; ln = ln->next)
        breaks[k++] = (int)g_utf8_pointer_to_offset(
            text, text + ((PangoLayoutLine *)ln->data)->start_index);
    bool at_words = true;   /* Pango broke between words, not inside one */
    for (int j = 0; j < k; j++)
        at_words &= attrs[breaks[j]].is_line_break;
    int last = breaks[k - 1], prev = k > 1 ? breaks[k - 2] : 0, moved = -1, words = 0;
    for (int i = last + 1; i < n; i++)
        words += attrs[i].is_line_break;   /* a break inside the last line */
    for (int i = prev + 1; i < last; i++)
        if (attrs[i].is_line_break)
            moved = i;
    PangoLayout *b = NULL;
    if (at_words && words == 0 && moved > prev && char_widths(l, text, n, adv)) {
        bool two_above = false;   /* the line above keeps two words or more */
        for (int i = prev + 1; i < moved; i++)
            two_above |= attrs[i].is_line_break;
        long w = 0;
        for (int i = moved; i < n; i++)
            w += adv[i];
        for (int i = n - 1; i >= moved && attrs[i].is_white; i--)
            w -= adv[i];
        breaks[k - 1] = moved;
        if (two_above && w <= wrap)
            b = set_breaks(f, text, font, attrs, breaks, k, wrap, out);
    }
    free(adv);
    return b;
}

/* Pango shapes a text given a width twice when it fits on one line (to
 * measure it, then to set the line), and wraps a long one by shaping it
 * whole and then line by line.  So a text that may fit is laid out first
 * with no width: if it fits, that is the layout a width would give, for
 * half the shaping.  A text that is clearly too long (by the narrowest
 * letters this font has shown so far) goes straight to wrapping, unless
 * its lines are to be balanced (a line limit of 2 or more): those are
 * broken from the one-line shaping. */
static PangoLayout *shape(tl_fonts *f, const char *text, const tl_font *font, double wrap,
                          int max_lines, PangoRectangle *logical)
{
    cached_font *c = font_entry(f, font);
    long chars = g_utf8_strlen(text, -1);
    bool balance = wrap > 0 && max_lines > 1;
    bool may_fit = wrap <= 0 || chars * c->narrowest <= wrap * PANGO_SCALE;
    PangoLayout *l = make_layout(f, text, font, may_fit || balance ? 0 : wrap, max_lines);
    pango_layout_get_extents(l, NULL, logical);
    if (may_fit || balance) {
        int lines = pango_layout_get_line_count(l);
        if (lines == 1 && chars >= 16) {
            double per_char = (double)logical->width / chars;
            if (c->narrowest == 0 || per_char < c->narrowest)
                c->narrowest = per_char;
        }
        if (wrap > 0 && (logical->width > (int)(wrap * PANGO_SCALE) ||
                         (max_lines > 0 && lines > max_lines))) {
            PangoLayout *b = balance ? balanced(f, l, font, (long)(wrap * PANGO_SCALE),
                                                max_lines, logical)
                                     : NULL;
            if (b) {
                g_object_unref(l);
                return b;
            }
            set_wrap(l, wrap, max_lines);
            pango_layout_get_extents(l, NULL, logical);
        }
    }
    if (wrap > 0 && max_lines <= 0 && pango_layout_get_line_count(l) > 1) {
        PangoRectangle r;
        PangoLayout *b = without_orphan(f, l, font, (long)(wrap * PANGO_SCALE), &r);
        if (b) {
            g_object_unref(l);
            l = b;
            *logical = r;
        }
    }
    return l;
}

/* The scripts fonts are most often missing for, and the Debian package
 * that covers each; every other script is in fonts-noto-core. */
static const struct {
    GUnicodeScript script;
    const char *name, *package;
} script_fonts[] = {
    {G_UNICODE_SCRIPT_HAN, "Chinese, Japanese or Korean (Han) characters", "fonts-noto-cjk"},
    {G_UNICODE_SCRIPT_HIRAGANA, "Japanese (Hiragana) letters", "fonts-noto-cjk"},
    {G_UNICODE_SCRIPT_KATAKANA, "Japanese (Katakana) letters", "fonts-noto-cjk"},
    {G_UNICODE_SCRIPT_HANGUL, "Korean (Hangul) letters", "fonts-noto-cjk"},
    {G_UNICODE_SCRIPT_BOPOMOFO, "Bopomofo letters", "fonts-noto-cjk"},
    {G_UNICODE_SCRIPT_ARABIC, "Arabic letters", "fonts-noto-core"},
    {G_UNICODE_SCRIPT_HEBREW, "Hebrew letters", "fonts-noto-core"},
    {G_UNICODE_SCRIPT_THAI, "Thai letters", "fonts-noto-core"},
    {G_UNICODE_SCRIPT_DEVANAGARI, "Devanagari letters", "fonts-noto-core"},
    {G_UNICODE_SCRIPT_BENGALI, "Bengali letters", "fonts-noto-core"},
    {G_UNICODE_SCRIPT_TAMIL, "Tamil letters", "fonts-noto-core"},
    {G_UNICODE_SCRIPT_TELUGU, "Telugu letters", "fonts-noto-core"},
    {G_UNICODE_SCRIPT_KHMER, "Khmer letters", "fonts-noto-core"},
    {G_UNICODE_SCRIPT_MYANMAR, "Myanmar letters", "fonts-noto-core"},
    {G_UNICODE_SCRIPT_ETHIOPIC, "Ethiopic letters", "fonts-noto-core"},
    {G_UNICODE_SCRIPT_GEORGIAN, "Georgian letters", "fonts-noto-core"},
    {G_UNICODE_SCRIPT_ARMENIAN, "Armenian letters", "fonts-noto-core"},
};

/* Warns, the first time in this chart a character of c's script has no
 * glyph, that `shown` will be drawn with boxes, and which package to
 * install. */
static void warn_script(tl_fonts *f, gunichar c, const char *shown)
{
    GUnicodeType type = g_unichar_type(c);
    if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT || type == G_UNICODE_UNASSIGNED ||
        type == G_UNICODE_PRIVATE_USE || type == G_UNICODE_SURROGATE)
        return;   /* no font is meant to have these */
    GUnicodeScript sc = g_unichar_get_script(c);
    /* CJK punctuation and full-width forms are "common" to Unicode, but
     * only CJK fonts have them: they count as Han ("来源：", "《…》"). */
    if ((c >= 0x3000 && c <= 0x303F) || (c >= 0x3200 && c <= 0x33FF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF))
        sc = G_UNICODE_SCRIPT_HAN;
    bool emoji = sc == G_UNICODE_SCRIPT_COMMON && c >= 0x1F000 && type == G_UNICODE_OTHER_SYMBOL;
    int bit = emoji ? SCRIPT_EMOJI
                    : sc < 0 || sc >= SCRIPT_EMOJI ? G_UNICODE_SCRIPT_UNKNOWN : (int)sc;
    if (f->warned[bit / 8] & (1u << (bit % 8)))
        return;
    f->warned[bit / 8] |= (uint8_t)(1u << (bit % 8));
    const char *name = NULL, *package = "fonts-noto-core";
    char other[48];
    for (size_t k = 0; k < G_N_ELEMENTS(script_fonts); k++)
        if (script_fonts[k].script == sc) {
            name = script_fonts[k].name;
            package = script_fonts[k].package;
        }
    if (emoji) {
        name = "emoji";
        package = "fonts-noto-color-emoji";
    } else if (sc == G_UNICODE_SCRIPT_COMMON || sc == G_UNICODE_SCRIPT_INHERITED) {
        name = "symbols";
    } else if (!name) {
        guint32 tag = g_unicode_script_to_iso15924(sc);
        snprintf(other, sizeof other, "letters of the script %c%c%c%c", (char)(tag >> 24),
                 (char)(tag >> 16), (char)(tag >> 8), (char)tag);
        name = other;
    }
    /* The text without the word joiners the layout puts after dashes. */
    char plain[TL_QUOTE_SIZE], quoted[TL_QUOTE_SIZE];
    size_t n = 0;
    for (const char *p = shown; *p && n < sizeof plain - 1; p++)
        if (strncmp(p, "\xE2\x81\xA0", 3) == 0)
            p += 2;
        else
            plain[n++] = *p;
    tl_diag_quote(plain, n, TL_QUOTE_CHARS, quoted, sizeof quoted);
    tl_diag_add(f->diag, TL_WARNING, NULL, 0, 0,
                "no installed font has %s, as in \"%s\" — they are drawn as boxes; "
                "install %s",
                name, quoted, package);
}

/* Warns about each script of `shown`, as set in `l`, that has a character
 * no installed font has a glyph for. */
static void warn_missing_glyphs(tl_fonts *f, PangoLayout *l, const char *shown)
{
    const char *text = pango_layout_get_text(l);
    for (GSList *ln = pango_layout_get_lines_readonly(l); ln; ln = ln->next)
        for (GSList *r = ((PangoLayoutLine *)ln->data)->runs; r; r = r->next) {
            PangoGlyphItem *run = r->data;
            for (int g = 0; g < run->glyphs->num_glyphs; g++)
                if (run->glyphs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG)
                    warn_script(f, g_utf8_get_char(text + run->item->offset +
                                                   run->glyphs->log_clusters[g]),
                                shown);
        }
}

static void measure(void *ctx, const char *text, const tl_font *font, double wrap, int max_lines,
                    tl_textbox *out)
{
    PangoRectangle logical;
    tl_fonts *f = ctx;
    PangoLayout *l = shape(f, text, font, wrap, max_lines, &logical);
    if (f->diag && !font->probe && pango_layout_get_unknown_glyphs_count(l) > 0)
        warn_missing_glyphs(f, l, text);
    out->w = (double)logical.width / PANGO_SCALE;
    out->h = (double)logical.height / PANGO_SCALE;
    out->baseline = (double)pango_layout_get_baseline(l) / PANGO_SCALE;
    out->lines = pango_layout_get_line_count(l);
    out->ellipsized = pango_layout_is_ellipsized(l);
    out->handle = l;
}

static void release(void *ctx, void *handle)
{
    (void)ctx;
    g_object_unref(handle);
}

static void *retain(void *ctx, void *handle)
{
    (void)ctx;
    return g_object_ref(handle);
}

void tl_fonts_measurer(tl_fonts *f, tl_measurer *m)
{
    m->ctx = f;
    m->measure = measure;
    m->release = release;
    m->retain = retain;
}

static void set_color(cairo_t *cr, tl_rgba c)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

static void set_dash(cairo_t *cr, int dash, double lw)
{
    if (dash == 1) {
        double d[] = {lw * 4, lw * 2.5};
        cairo_set_dash(cr, d, 2, 0);
    } else if (dash == 2) {
        double d[] = {lw * 1.2, lw * 2};
        cairo_set_dash(cr, d, 2, 0);
    } else {
        cairo_set_dash(cr, NULL, 0, 0);
    }
}

static void fill_stroke(cairo_t *cr, const tl_chart *c, const tl_item *it)
{
    tl_rgba fill = tl_item_fill(c, it), stroke = tl_item_stroke(c, it);
    if (fill.a > 0) {
        set_color(cr, fill);
        if (stroke.a > 0 && it->line_width > 0)
            cairo_fill_preserve(cr);
        else
            cairo_fill(cr);
    }
    if (stroke.a > 0 && it->line_width > 0) {
        set_color(cr, stroke);
        cairo_set_line_width(cr, it->line_width);
        set_dash(cr, it->dash, it->line_width);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cairo_new_path(cr);
}

static void shape_path(cairo_t *cr, const tl_item *it)
{
    double cx = it->x, cy = it->y, r = it->w / 2;
    switch (it->shape) {
    case TL_SHAPE_SQUARE:
        cairo_rectangle(cr, cx - r * 0.88, cy - r * 0.88, r * 1.76, r * 1.76);
        break;
    case TL_SHAPE_DIAMOND:
        cairo_move_to(cr, cx, cy - r * 1.2);
        cairo_line_to(cr, cx + r * 1.2, cy);
        cairo_line_to(cr, cx, cy + r * 1.2);
        cairo_line_to(cr, cx - r * 1.2, cy);
        cairo_close_path(cr);
        break;
    case TL_SHAPE_TRIANGLE:
    case TL_SHAPE_TRIANGLE_DOWN: {
        double s = it->shape == TL_SHAPE_TRIANGLE ? 1 : -1;
        cairo_move_to(cr, cx, cy - s * r * 1.15);
        cairo_line_to(cr, cx + r * 1.1, cy + s * r * 0.85);
        cairo_line_to(cr, cx - r * 1.1, cy + s * r * 0.85);
        cairo_close_path(cr);
        break;
    }
    case TL_SHAPE_HEXAGON:
        for (int k = 0; k < 6; k++) {
            double a = TL_PI / 3 * k;
            if (k == 0)
                cairo_move_to(cr, cx + r * 1.05 * cos(a), cy + r * 1.05 * sin(a));
            else
                cairo_line_to(cr, cx + r * 1.05 * cos(a), cy + r * 1.05 * sin(a));
        }
        cairo_close_path(cr);
        break;
    default:
        cairo_arc(cr, cx, cy, r, 0, 2 * TL_PI);
    }
}

static void rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    if (r <= 0) {
        cairo_rectangle(cr, x, y, w, h);
        return;
    }
    r = fmin(r, fmin(w, h) / 2);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -TL_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, TL_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, TL_PI / 2, TL_PI);
    cairo_arc(cr, x + r, y + r, r, TL_PI, 1.5 * TL_PI);
    cairo_close_path(cr);
}

/* "uri='...'" for cairo_tag_begin, or NULL for a URL that must not become
 * a link.  Cairo 1.16 copies the URI into the PDF's string as it is, so
 * the URL is percent-encoded: no quote, backslash or parenthesis is left
 * to end the attribute or the PDF string. */
static char *link_attrs(const char *url)
{
    if (!tl_url_allowed(url))
        return NULL;
    tl_buf b = {0};
    if (!tl_buf_puts(&b, "uri='") || !tl_url_encode(&b, url) ||
        !tl_buf_append(&b, "'", 2)) {
        tl_buf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}

/* Sets each line of `l` flush with the right edge of the item's box.  Not
 * with pango_layout_set_alignment: giving a shaped layout a width lays it
 * out, and shapes it, all over again. */
static void show_right_aligned(cairo_t *cr, const tl_item *it, PangoLayout *l)
{
    PangoLayoutIter *iter = pango_layout_get_iter(l);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);
        PangoRectangle log;   /* relative to the line's origin */
        pango_layout_line_get_extents(line, NULL, &log);
        double base = (double)pango_layout_iter_get_baseline(iter) / PANGO_SCALE;
        cairo_move_to(cr, it->x + it->w - (double)(log.x + log.width) / PANGO_SCALE,
                      it->y + base);
        pango_cairo_show_layout_line(cr, line);
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
}

/* Whether the ink of `l` reaches more than `m` points outside its
 * logical box.  Letters of ASCII keep close to their box in any font, and
 * most labels are ASCII: for them the ink, a tenth of the drawing time,
 * is not measured. */
static bool ink_strays(PangoLayout *l, double m)
{
    const unsigned char *t = (const unsigned char *)pango_layout_get_text(l);
    while (*t && *t < 0x80)
        t++;
    if (!*t)
        return false;
    PangoRectangle ink, log;
    pango_layout_get_extents(l, &ink, &log);
    int mu = (int)(m * PANGO_SCALE);
    return ink.x < log.x - mu || ink.y < log.y - mu ||
           ink.x + ink.width > log.x + log.width + mu ||
           ink.y + ink.height > log.y + log.height + mu;
}

static void draw_text(cairo_t *cr, const tl_chart *c, const tl_item *it, tl_fonts *f)
{
    const tl_typeset *ts = tl_item_typeset(c, it);
    PangoLayout *l = ts->handle;
    bool own = false;
    if (!l) {   /* beyond the budget of kept shapings: shape it again */
        PangoRectangle unused;
        l = shape(f, ts->text, &ts->font, ts->wrap, ts->max_lines, &unused);
        own = true;
    }
    char *attrs = ts->url ? link_attrs(ts->url) : NULL;
    if (attrs)
        cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs);
    set_color(cr, tl_item_fill(c, it));
    /* Ink may overhang a label's box a little (an accent on a capital, an
     * italic's slant), never more: a text whose ink strays further — a
     * stack of a hundred combining marks — is cut, so it cannot draw over
     * its neighbours or the title.  Text too wide for its box is cut at
     * the right edge itself. */
    double m = ts->font.size * INK_MARGIN;
    bool clip = it->clip || ink_strays(l, m);
    if (clip) {
        cairo_save(cr);
        cairo_rectangle(cr, it->x - m, it->y - m, it->w + (it->clip ? m : 2 * m), it->h + 2 * m);
        cairo_clip(cr);
    }
    if (ts->align == 1 && ts->wrap > 0)
        show_right_aligned(cr, it, l);
    else {
        cairo_move_to(cr, it->x, it->y);
        pango_cairo_show_layout(cr, l);
    }
    cairo_new_path(cr); /* drop the current point, or the next arc joins it */
    if (clip)
        cairo_restore(cr);
    if (attrs)
        cairo_tag_end(cr, CAIRO_TAG_LINK);
    free(attrs);
    if (own)
        g_object_unref(l);
}

/* A break: the axis interrupted by two slanted strokes. */
static void draw_break(cairo_t *cr, const tl_chart *c, const tl_item *it)
{
    double h = it->h, gap = it->w;
    set_color(cr, tl_item_fill(c, it));
    cairo_rectangle(cr, it->x - gap / 2, it->y - h / 2, gap, h);
    cairo_fill(cr);
    set_color(cr, tl_item_stroke(c, it));
    cairo_set_line_width(cr, it->line_width);
    for (int k = -1; k <= 1; k += 2) {
        double cx = it->x + k * gap * 0.18;
        cairo_move_to(cr, cx - h * 0.18, it->y + h * 0.4);
        cairo_line_to(cr, cx + h * 0.18, it->y - h * 0.4);
    }
    cairo_stroke(cr);
    /* Dotted stretch of axis through the gap: time goes on, unscaled. */
    double d[] = {1, 2.5};
    cairo_set_dash(cr, d, 2, 0);
    cairo_move_to(cr, it->x - gap / 2, it->y);
    cairo_line_to(cr, it->x - gap * 0.3, it->y);
    cairo_move_to(cr, it->x + gap * 0.3, it->y);
    cairo_line_to(cr, it->x + gap / 2, it->y);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

/* An open date ("before 13 Jan 2015"): a bar at the known bound, then a
 * tail that fades toward the unknown side and ends in an arrowhead, so
 * that no reader takes the bound for the date. */
static void draw_open(cairo_t *cr, const tl_chart *c, const tl_item *it)
{
    tl_rgba col = tl_item_fill(c, it);
    double x0 = it->x, x1 = it->x + it->w, y = it->y, h = it->h;
    double dir = it->w < 0 ? -1 : 1, head = fmin(h * 0.8, fabs(it->w) * 0.4);
    cairo_pattern_t *g = cairo_pattern_create_linear(x0, y, x1, y);
    cairo_pattern_add_color_stop_rgba(g, 0, col.r, col.g, col.b, col.a);
    cairo_pattern_add_color_stop_rgba(g, 1, col.r, col.g, col.b, col.a * 0.2);
    cairo_set_source(cr, g);
    double tail = h * 0.34, tip = x1 - dir * head;
    if (it->dash) {
        /* An end not known: four dashes fading out, no arrowhead. */
        double seg = fabs(it->w) / 7;
        for (int k = 0; k < 4; k++)
            cairo_rectangle(cr, fmin(x0 + dir * seg * 2 * k, x0 + dir * seg * (2 * k + 1)),
                            y - tail / 2, seg, tail);
    } else {
        cairo_rectangle(cr, fmin(x0, tip), y - tail / 2, fabs(tip - x0), tail);
        cairo_move_to(cr, x1, y);
        cairo_line_to(cr, tip, y - h / 2);
        cairo_line_to(cr, tip, y + h / 2);
        cairo_close_path(cr);
    }
    cairo_fill(cr);
    cairo_pattern_destroy(g);
    set_color(cr, col);
    double bw = fmax(h * 0.2, 1);
    cairo_rectangle(cr, dir < 0 ? x0 - bw : x0, y - h / 2, bw, h);
    cairo_fill(cr);
}

/* Whether items first..end of the chart's page order hold a link. */
static bool page_has_links(const tl_chart *c, size_t first, size_t end)
{
    for (size_t k = first; k < end; k++) {
        const tl_item *it = &c->items[c->page_items ? c->page_items[k] : k];
        if (it->kind == TL_ITEM_TEXT && tl_url_allowed(tl_item_typeset(c, it)->url))
            return true;
    }
    return false;
}

void tl_render_chart(const tl_chart *c, cairo_t *cr, int page, tl_fonts *f)
{
    cairo_save(cr);
    set_color(cr, c->background);
    cairo_rectangle(cr, 0, 0, c->width, c->height);
    cairo_fill(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    size_t first = 0, end = 0;   /* a page the chart does not have is blank */
    if (page >= 0 && page < c->pages) {
        first = c->page_first[page];
        end = c->page_first[page + 1];
    }
    /* Cairo 1.16 numbers a structure element for every link but writes the
     * structure tree only when some tag other than a link exists: with
     * links alone the PDF refers to objects it lacks.  A grouping element
     * with no meaning of its own around a page with links makes the tree;
     * a page without links is drawn with no tag at all. */
    bool group = page_has_links(c, first, end);
    if (group)
        cairo_tag_begin(cr, "NonStruct", NULL);
    for (size_t k = first; k < end; k++) {
        const tl_item *it = &c->items[c->page_items ? c->page_items[k] : k];
        switch (it->kind) {
        case TL_ITEM_TEXT:
            draw_text(cr, c, it, f);
            break;
        case TL_ITEM_LINE:
            set_color(cr, tl_item_stroke(c, it));
            cairo_set_line_width(cr, it->line_width);
            set_dash(cr, it->dash, it->line_width);
            cairo_move_to(cr, it->x, it->y);
            cairo_line_to(cr, it->x + it->w, it->y + it->h);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            break;
        case TL_ITEM_RECT:
            cairo_new_path(cr);
            rounded_rect(cr, it->x, it->y, it->w, it->h, it->radius);
            fill_stroke(cr, c, it);
            break;
        case TL_ITEM_MARKER:
            cairo_new_path(cr);
            shape_path(cr, it);
            fill_stroke(cr, c, it);
            break;
        case TL_ITEM_BREAK:
            draw_break(cr, c, it);
            break;
        case TL_ITEM_OPEN:
            draw_open(cr, c, it);
            break;
        }
    }
    if (group)
        cairo_tag_end(cr, "NonStruct");
    cairo_restore(cr);
}

const char *tl_fonts_family(const tl_fonts *f) { return f->family; }

void *tl_fonts_shape(tl_fonts *f, const tl_typeset *ts)
{
    if (ts->handle)
        return g_object_ref(ts->handle);
    PangoRectangle unused;
    return shape(f, ts->text, &ts->font, ts->wrap, ts->max_lines, &unused);
}
