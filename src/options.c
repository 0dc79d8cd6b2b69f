/* options.c — chart options: parsing each value with a message that names
 * the option and what it accepts, and turning lengths into units. */
#include "options.h"

#include "diag.h"
#include "svg.h"
#include "validate.h"
#include "zone.h"

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
    o->callouts = true;
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
    free(o->id_prefix);
    free(o->tz_name);
    free(o);
}

tl_format tl_options_format(const tl_options *o) { return o ? o->format : TL_FORMAT_AUTO; }

void tl_options_set_font_map(tl_options *o, PangoFontMap *map)
{
    if (o)
        o->font_map = map;
}

void tl_options_set_timings(tl_options *o, tl_timings *out)
{
    if (o)
        o->timings = out;
}

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
    if (!path)
        return TL_FORMAT_AUTO;
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
    char shown[TL_QUOTE_SIZE];
    tl_diag_option(diag, NULL, name, "invalid value '%s' — %s",
                   tl_diag_quote(value, strlen(value), TL_QUOTE_CHARS, shown, sizeof shown),
                   accepts);
    return TL_ERR_USAGE;
}

/* Parses a plain decimal number, "12", "0.5" or ".5", at the start of s:
 * no sign, exponent, hexadecimal, "inf" or "nan", and no dependence on the
 * locale's decimal point.  Returns the characters read, 0 if none. */
static size_t parse_decimal(const char *s, double *out)
{
    size_t i = 0, digits = 0;
    double v = 0, scale = 1;
    for (; s[i] >= '0' && s[i] <= '9'; i++, digits++)
        v = v * 10 + (s[i] - '0');
    if (s[i] == '.') {
        for (i++; s[i] >= '0' && s[i] <= '9'; i++, digits++) {
            scale /= 10;
            v += (s[i] - '0') * scale;
        }
    }
    if (digits == 0)
        return 0;
    *out = v;
    return i;
}

/* Parses "85mm", "6in", "400pt", "1600px" or "1200". */
static bool parse_length(const char *s, tl_length *out)
{
    double v;
    size_t n = parse_decimal(s, &v);
    if (n == 0 || !isfinite(v))
        return false;
    static const char *const units[] = {"", "pt", "px", "mm", "in", NULL};
    int u = pick(s + n, units);
    if (u < 0)
        return false;
    out->value = v;
    out->unit = (tl_unit)u;
    return true;
}

/* Text for the title options and the font: refused when it holds what no
 * text field may (see tl_text_check), or is longer than the same text may
 * be in a file (`max` bytes). */
static tl_status set_text(char **slot, const char *name, const char *value, size_t max,
                          tl_diag *diag)
{
    size_t off, len = strlen(value);
    if (len > max) {
        tl_diag_option(diag, NULL, name, "the text is %zu bytes long — the limit is %zu bytes",
                       len, max);
        return TL_ERR_USAGE;
    }
    uint32_t cp;
    tl_text_fault f = tl_text_check(value, len, &off, &cp);
    if (f != TL_TEXT_OK) {
        char what[200];
        tl_diag_option(diag, NULL, name, "the text %s (at byte %zu)",
                       tl_text_fault_text(f, cp, what, sizeof what), off);
        return TL_ERR_USAGE;
    }
    char *copy = strdup(value);
    if (!copy) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "out of memory");
        return TL_ERR_NOMEM;
    }
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

/* "#RRGGBB" at the start of s, exactly seven characters. */
static bool parse_rgb(const char *s, uint32_t *out)
{
    if (s[0] != '#')
        return false;
    uint32_t v = 0;
    for (int i = 1; i < 7; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return false;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return true;
}

/* The labels' size: a length from 4pt to 72pt, or "auto". */
static tl_status set_font_size(tl_options *o, const char *value, tl_diag *diag)
{
    tl_length len;
    if (strcmp(value, "auto") == 0) {
        o->font_size = (tl_length){0, TL_UNIT_BARE};
        return TL_OK;
    }
    if (!parse_length(value, &len))
        return bad(diag, "font-size", value, "expected a size such as 10pt, 4mm or 12");
    double pt = tl_length_units(len, TL_FORMAT_PDF);
    if (pt < 4 || pt > 72) {
        char shown[TL_QUOTE_SIZE];
        tl_diag_option(diag, NULL, "font-size", "%s is too %s — the size is from 4pt to 72pt",
                       tl_diag_quote(value, strlen(value), TL_QUOTE_CHARS, shown, sizeof shown),
                       pt < 4 ? "small" : "large");
        return TL_ERR_USAGE;
    }
    o->font_size = len;
    return TL_OK;
}

/* Lane colours: "#RRGGBB,#RRGGBB,...", or "theme" for the theme's. */
static tl_status set_palette(tl_options *o, const char *value, tl_diag *diag)
{
    static const char accepts[] = "expected colours such as #0072B2,#D55E00 (1 to 16), or theme";
    uint32_t v[TL_MAX_PALETTE];
    size_t n = 0;
    if (strcmp(value, "theme") == 0) {
        o->npalette = 0;
        return TL_OK;
    }
    for (const char *p = value;; p += 8) {
        if (n == TL_MAX_PALETTE || !parse_rgb(p, &v[n]) || (p[7] != ',' && p[7] != '\0'))
            return bad(diag, "palette", value, accepts);
        n++;
        if (p[7] == '\0')
            break;
    }
    memcpy(o->palette, v, n * sizeof v[0]);
    o->npalette = n;
    return TL_OK;
}

/* The page's ground: the theme's, none, or a colour. */
static tl_status set_background(tl_options *o, const char *value, tl_diag *diag)
{
    uint32_t rgb;
    if (strcmp(value, "theme") == 0)
        o->background = TL_BG_THEME;
    else if (strcmp(value, "transparent") == 0)
        o->background = TL_BG_TRANSPARENT;
    else if (strlen(value) == 7 && parse_rgb(value, &rgb)) {
        o->background = TL_BG_COLOR;
        o->background_rgb = rgb;
    } else {
        return bad(diag, "background", value, "expected theme, transparent or a colour such "
                                              "as #FFFFF0");
    }
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
    if (!o || !name || !value) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "tl_options_set: %s is NULL",
                    !o ? "opts" : !name ? "name" : "value");
        return TL_ERR_USAGE;
    }
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
                       "expected a decimal length such as 85mm, 6in, 400pt, 1600px or 1200");
        /* A bare number is points or pixels, as the format says: it must
         * be at least the smaller minimum of the two. */
        double pt = tl_length_units(len, TL_FORMAT_PDF);
        char shown[TL_QUOTE_SIZE];
        tl_diag_quote(value, strlen(value), TL_QUOTE_CHARS, shown, sizeof shown);
        if (pt < TL_MIN_PAGE_PT) {
            tl_diag_option(diag, NULL, name, "%s is too small — the minimum is 2in (144pt)",
                           shown);
            return TL_ERR_USAGE;
        }
        if (pt > TL_MAX_PAGE_PT) {
            tl_diag_option(diag, NULL, name, "%s is too large — the maximum is 200in "
                           "(14400pt)", shown);
            return TL_ERR_USAGE;
        }
        *(is_w ? &o->width : &o->height) = len;
    } else if (strcmp(name, "page") == 0) {
        int i = pick(value, pages);
        if (i < 0)
            return bad(diag, name, value,
                       "expected a4, a4-landscape, letter, letter-landscape or slide-16x9");
        o->width = (tl_length){page_pt[i][0], TL_UNIT_PT};
        o->height = (tl_length){page_pt[i][1], TL_UNIT_PT};
    } else if (strcmp(name, "scale") == 0) {
        double v;
        size_t n = parse_decimal(value, &v);
        if (n == 0 || value[n] || !isfinite(v))
            return bad(diag, name, value, "expected a decimal number from 0.1 to 8");
        if (v < 0.1 || v > 8) {
            tl_diag_option(diag, NULL, name, "%s is too %s — the %s is %s", value,
                           v < 0.1 ? "small" : "large", v < 0.1 ? "minimum" : "maximum",
                           v < 0.1 ? "0.1" : "8");
            return TL_ERR_USAGE;
        }
        o->scale = v;
    } else if (strcmp(name, "font") == 0) {
        if (!*value)
            return bad(diag, name, value, "expected a font family name");
        return set_text(&o->font, name, value, TL_MAX_TEXT, diag);
    } else if (strcmp(name, "title") == 0) {
        return set_text(&o->title, name, value, TL_MAX_TITLE, diag);
    } else if (strcmp(name, "subtitle") == 0) {
        return set_text(&o->subtitle, name, value, TL_MAX_TEXT, diag);
    } else if (strcmp(name, "font-size") == 0) {
        return set_font_size(o, value, diag);
    } else if (strcmp(name, "palette") == 0) {
        return set_palette(o, value, diag);
    } else if (strcmp(name, "background") == 0) {
        return set_background(o, value, diag);
    } else if (strcmp(name, "breaks") == 0) {
        return set_switch(&o->breaks, name, value, diag);
    } else if (strcmp(name, "citations") == 0) {
        return set_switch(&o->citations, name, value, diag);
    } else if (strcmp(name, "svg-text") == 0) {
        static const char *const kinds[] = {"text", "paths", NULL};
        int i = pick(value, kinds);
        if (i < 0)
            return bad(diag, name, value, "expected text or paths");
        o->svg_paths = i == 1;
    } else if (strcmp(name, "id-prefix") == 0) {
        if (!tl_svg_prefix_ok(value))
            return bad(diag, name, value,
                       "expected a letter or '_', then letters, digits, '_', '-' or '.' "
                       "(at most 64)");
        return set_text(&o->id_prefix, name, value, TL_MAX_TEXT, diag);
    } else if (strcmp(name, "callouts") == 0) {
        return set_switch(&o->callouts, name, value, diag);
    } else if (strcmp(name, "tz") == 0) {
        char msg[160];
        int zone;
        if (strchr(value, '/')) {
            /* A zone name: read against the document's times at render. */
            if (!tl_zone_name_ok(value))
                return bad(diag, name, value, "expected UTC, an offset such as +09:00 or a zone "
                           "name such as Asia/Seoul");
            tl_status st = set_text(&o->tz_name, name, value, TL_MAX_TEXT, diag);
            if (st == TL_OK)
                o->tz = TL_TZ_NONE;
            return st;
        }
        if (!tl_zone_parse(value, &zone, msg, sizeof msg))
            return bad(diag, name, value, msg);
        o->tz = zone;
        free(o->tz_name);
        o->tz_name = NULL;
    } else if (strcmp(name, "lang") == 0) {
        if (!tl_lang_parse(value, &o->lang))
            return bad(diag, name, value, "expected " TL_LANG_CODES);
    } else {
        char shown[TL_QUOTE_SIZE];
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "unknown option '%s'",
                    tl_diag_quote(name, strlen(name), TL_QUOTE_CHARS, shown, sizeof shown));
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

tl_status tl_options_resolve_zone(const tl_options *o, const tl_doc *doc, tl_layout_params *p,
                                  tl_diag *diag)
{
    char msg[320];
    if (!o->tz_name)
        return TL_OK;
    if (!tl_zone_for_doc(o->tz_name, doc, &p->tz, p->tz_abbr, sizeof p->tz_abbr, msg, sizeof msg)) {
        tl_diag_option(diag, NULL, "tz", "%s", msg);
        return TL_ERR_USAGE;
    }
    return TL_OK;
}

tl_status tl_options_resolve(const tl_options *o, tl_format fmt, tl_layout_params *p,
                             tl_diag *diag)
{
    memset(p, 0, sizeof *p);
    p->kind = o->layout;
    p->theme = o->theme;
    p->breaks = o->breaks;
    p->citations = o->citations;
    p->callouts = o->callouts;
    p->tz = o->tz;
    p->lang = o->lang;
    p->title = o->title;
    p->subtitle = o->subtitle;
    /* Every format is laid out in points, so a PNG shows the chart the PDF
     * of the same options shows, rasterized at TL_PX_PER_PT * scale. */
    p->width = o->width.value > 0 ? tl_length_units(o->width, TL_FORMAT_PDF) : DEFAULT_WIDTH;
    p->height = o->height.value > 0 ? tl_length_units(o->height, TL_FORMAT_PDF) : 0;
    p->grow = o->width.value <= 0 && p->height <= 0;
    p->font_size =
        o->font_size.value > 0 ? tl_length_units(o->font_size, TL_FORMAT_PDF) : 0;
    p->palette = o->palette;
    p->npalette = o->npalette;
    double min = TL_MIN_PAGE_PT;
    if (p->width < min || (p->height > 0 && p->height < min)) {
        /* Every format is in points here: a PNG's 192 px are its 144 pt. */
        tl_diag_option(diag, NULL, p->width < min ? "width" : "height",
                       "%.0f pt is too small — a chart needs at least 2in (144pt)",
                       p->width < min ? p->width : p->height);
        return TL_ERR_USAGE;
    }
    if (fmt == TL_FORMAT_PNG) {
        double w = p->width * TL_PX_PER_PT * o->scale, h = p->height * TL_PX_PER_PT * o->scale;
        if (w > TL_MAX_PNG_SIDE || h > TL_MAX_PNG_SIDE) {
            tl_diag_option(diag, NULL, "width/scale",
                           "a PNG of %.0f px is wider than the %.0f px limit", w > h ? w : h,
                           TL_MAX_PNG_SIDE);
            return TL_ERR_USAGE;
        }
    }
    /* The list layout flows over pages in PDF: without a height, pages take
     * the A4 proportion of the width. */
    if (fmt == TL_FORMAT_PDF && p->kind == TL_LAYOUT_LIST && p->height <= 0)
        p->height = p->width * 841.89 / 595.28;
    return TL_OK;
}
