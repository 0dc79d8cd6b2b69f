/* options.c — chart options: parsing each value with a message that names
 * the option and what it accepts, and turning lengths into units. */
#include "options.h"

#include "diag.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_WIDTH 960.0

tl_options *tl_options_new(void)
{
    tl_options *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->layout = TL_LAYOUT_AXIS;
    o->theme = TL_THEME_LIGHT;
    o->format = TL_FORMAT_AUTO;
    o->scale = 1.0;
    o->breaks = true;
    o->citations = true;
    o->tz = TL_TZ_NONE;
    return o;
}

void tl_options_free(tl_options *o)
{
    if (!o)
        return;
    free(o->font);
    free(o->title);
    free(o->subtitle);
    free(o);
}

tl_format tl_options_format(const tl_options *o) { return o->format; }

void tl_options_set_timings(tl_options *o, tl_timings *out) { o->timings = out; }

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        char c = s[n - k + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return false;
    }
    return true;
}

tl_format tl_format_from_path(const char *path)
{
    if (ends_with(path, ".svg"))
        return TL_FORMAT_SVG;
    if (ends_with(path, ".pdf"))
        return TL_FORMAT_PDF;
    if (ends_with(path, ".png"))
        return TL_FORMAT_PNG;
    if (ends_with(path, ".txt") || ends_with(path, ".md"))
        return TL_FORMAT_TEXT;
    return TL_FORMAT_AUTO;
}

/* Finds `value` in a NULL-terminated list of names; returns its index. */
static int pick(const char *value, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(value, names[i]) == 0)
            return i;
    return -1;
}

static tl_status bad(tl_diag *diag, const char *name, const char *value, const char *accepts)
{
    tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "--%s: invalid value '%s' — %s", name, value,
                accepts);
    return TL_ERR_USAGE;
}

/* Parses "85mm", "6in", "400pt", "1600px" or "1200". */
static bool parse_length(const char *s, tl_length *out)
{
    char *end;
    if (!*s || strchr(" \t+-", *s))
        return false;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v) || v <= 0)
        return false;
    static const char *const units[] = {"", "pt", "px", "mm", "in", NULL};
    int u = pick(end, units);
    if (u < 0)
        return false;
    out->value = v;
    out->unit = (tl_unit)u;
    return true;
}

static tl_status set_text(char **slot, const char *value)
{
    char *copy = strdup(value);
    if (!copy)
        return TL_ERR_NOMEM;
    free(*slot);
    *slot = copy;
    return TL_OK;
}

static tl_status set_switch(bool *slot, const char *name, const char *value, tl_diag *diag)
{
    static const char *const names[] = {"on", "off", "yes", "no", "true", "false", NULL};
    int i = pick(value, names);
    if (i < 0)
        return bad(diag, name, value, "expected on or off");
    *slot = i % 2 == 0;
    return TL_OK;
}

tl_status tl_options_set(tl_options *o, const char *name, const char *value, tl_diag *diag)
{
    static const char *const layouts[] = {"axis", "lanes", "list", NULL};
    static const char *const themes[] = {"light", "dark", "print", NULL};
    static const char *const formats[] = {"svg", "pdf", "png", "text", "md", "txt", NULL};
    static const char *const pages[] = {"a4", "a4-landscape", "letter", "letter-landscape",
                                        "slide-16x9", NULL};
    /* Page sizes in points. */
    static const double page_pt[][2] = {{595.28, 841.89}, {841.89, 595.28}, {612, 792},
                                        {792, 612}, {960, 540}};
    if (!name || !value)
        return TL_ERR_USAGE;
    if (strcmp(name, "layout") == 0) {
        int i = pick(value, layouts);
        if (i < 0)
            return bad(diag, name, value, "expected axis, lanes or list");
        o->layout = (tl_layout_kind)i;
    } else if (strcmp(name, "theme") == 0) {
        int i = pick(value, themes);
        if (i < 0)
            return bad(diag, name, value, "expected light, dark or print");
        o->theme = (tl_theme_kind)i;
    } else if (strcmp(name, "format") == 0) {
        int i = pick(value, formats);
        if (i < 0)
            return bad(diag, name, value, "expected svg, pdf, png, text or md");
        o->format = i >= 3 ? TL_FORMAT_TEXT : (tl_format)(TL_FORMAT_SVG + i);
    } else if (strcmp(name, "width") == 0 || strcmp(name, "height") == 0) {
        tl_length len;
        bool is_w = name[0] == 'w';
        if (!is_w && strcmp(value, "auto") == 0) {
            o->height.value = 0;
            return TL_OK;
        }
        if (!parse_length(value, &len))
            return bad(diag, name, value,
                       "expected a positive length such as 85mm, 6in, 400pt, 1600px or 1200");
        if (tl_length_units(len, TL_FORMAT_PDF) > TL_MAX_PAGE_PT ||
            tl_length_units(len, TL_FORMAT_PDF) < 1)
            return bad(diag, name, value, "expected at most 200in (14400pt)");
        *(is_w ? &o->width : &o->height) = len;
    } else if (strcmp(name, "page") == 0) {
        int i = pick(value, pages);
        if (i < 0)
            return bad(diag, name, value,
                       "expected a4, a4-landscape, letter, letter-landscape or slide-16x9");
        o->width = (tl_length){page_pt[i][0], TL_UNIT_PT};
        o->height = (tl_length){page_pt[i][1], TL_UNIT_PT};
    } else if (strcmp(name, "scale") == 0) {
        char *end;
        double v = strtod(value, &end);
        if (end == value || *end || !isfinite(v) || v < 0.1 || v > 8)
            return bad(diag, name, value, "expected a number from 0.1 to 8");
        o->scale = v;
    } else if (strcmp(name, "font") == 0) {
        if (!*value)
            return bad(diag, name, value, "expected a font family name");
        return set_text(&o->font, value);
    } else if (strcmp(name, "title") == 0) {
        return set_text(&o->title, value);
    } else if (strcmp(name, "subtitle") == 0) {
        return set_text(&o->subtitle, value);
    } else if (strcmp(name, "breaks") == 0) {
        return set_switch(&o->breaks, name, value, diag);
    } else if (strcmp(name, "citations") == 0) {
        return set_switch(&o->citations, name, value, diag);
    } else if (strcmp(name, "tz") == 0) {
        char msg[160];
        int zone;
        if (!tl_zone_parse(value, &zone, msg, sizeof msg))
            return bad(diag, name, value, msg);
        o->tz = zone;
    } else if (strcmp(name, "lang") == 0) {
        if (!tl_lang_parse(value, &o->lang))
            return bad(diag, name, value, "expected " TL_LANG_CODES);
    } else {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "unknown option '%s'", name);
        return TL_ERR_USAGE;
    }
    return TL_OK;
}

double tl_length_units(tl_length len, tl_format fmt)
{
    bool px = fmt == TL_FORMAT_PNG;
    switch (len.unit) {
    case TL_UNIT_PT: return px ? len.value * 96.0 / 72.0 : len.value;
    case TL_UNIT_PX: return px ? len.value : len.value * 0.75;
    case TL_UNIT_MM: return len.value / 25.4 * (px ? 96.0 : 72.0);
    case TL_UNIT_IN: return len.value * (px ? 96.0 : 72.0);
    default: return len.value;
    }
}

tl_status tl_options_resolve(const tl_options *o, tl_format fmt, tl_layout_params *p,
                             tl_diag *diag)
{
    memset(p, 0, sizeof *p);
    p->kind = o->layout;
    p->theme = o->theme;
    p->breaks = o->breaks;
    p->citations = o->citations;
    p->tz = o->tz;
    p->lang = o->lang;
    p->title = o->title;
    p->subtitle = o->subtitle;
    p->width = o->width.value > 0 ? tl_length_units(o->width, fmt) : DEFAULT_WIDTH;
    p->height = o->height.value > 0 ? tl_length_units(o->height, fmt) : 0;
    double min = fmt == TL_FORMAT_PNG ? TL_MIN_PAGE_PT * 96 / 72 : TL_MIN_PAGE_PT;
    if (p->width < min || (p->height > 0 && p->height < min)) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0,
                    "--%s: %.0f %s is too small — a chart needs at least 2in (144pt)",
                    p->width < min ? "width" : "height", p->width < min ? p->width : p->height,
                    fmt == TL_FORMAT_PNG ? "px" : "pt");
        return TL_ERR_USAGE;
    }
    if (fmt == TL_FORMAT_PNG) {
        double w = p->width * o->scale, h = p->height * o->scale;
        if (w > TL_MAX_PNG_SIDE || h > TL_MAX_PNG_SIDE) {
            tl_diag_add(diag, TL_ERROR, NULL, 0, 0,
                        "--width/--scale: a PNG of %.0f px is wider than the %.0f px limit",
                        w > h ? w : h, TL_MAX_PNG_SIDE);
            return TL_ERR_USAGE;
        }
    }
    /* The list layout flows over pages in PDF: without a height, pages take
     * the A4 proportion of the width. */
    if (fmt == TL_FORMAT_PDF && p->kind == TL_LAYOUT_LIST && p->height <= 0)
        p->height = p->width * 841.89 / 595.28;
    return TL_OK;
}
