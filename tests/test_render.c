/* test_render.c — the Pango measurer and the renderer, with real fonts.
 *
 * The measurer takes short cuts around Pango's own wrapping to shape each
 * text as few times as it can, evens out the lines of wrapped labels and
 * keeps a paragraph's last word company; these tests hold it to what Pango
 * would have given, or to balanced or mended lines no wider, and check
 * that drawing uses the shaping the layout kept. */
#include "options.h"
#include "render.h"
#include "timeline.h"

#include "check.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The same text laid out the plain way: a copy of the measurer's layout
 * given the width, wrapping and line limit from the start. */
static void reference(PangoLayout *measured, const char *text, double wrap, int max_lines,
                      tl_textbox *out)
{
    PangoLayout *l = pango_layout_new(pango_layout_get_context(measured));
    pango_layout_set_font_description(l, pango_layout_get_font_description(measured));
    pango_layout_set_attributes(l, pango_layout_get_attributes(measured));
    if (wrap > 0) {
        pango_layout_set_width(l, (int)(wrap * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
        if (max_lines > 0) {
            pango_layout_set_height(l, -max_lines);
            pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        }
    }
    pango_layout_set_text(l, text, -1);
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    out->w = (double)r.width / PANGO_SCALE;
    out->h = (double)r.height / PANGO_SCALE;
    out->baseline = (double)pango_layout_get_baseline(l) / PANGO_SCALE;
    out->lines = pango_layout_get_line_count(l);
    out->ellipsized = pango_layout_is_ellipsized(l);
    g_object_unref(l);
}

static const char *const texts[] = {
    "2001  [1]",
    "U.S. and Russia begin bilateral cybersecurity talks",
    "Obama names North Korea as the Sony attacker",
    "CSIS and CICIR hold ninth round of Track 1.5 talks",
    "U.S. and Russia agree on cyber confidence-building measures",
    "Tab\tseparated\twords in a label long enough to wrap",
    "Soft\xc2\xad" "hyphen\xc2\xad" "ated words in a label long enough to wrap",
    "zero\xe2\x80\x8b" "width\xe2\x80\x8b" "spaces\xe2\x80\x8b" "between\xe2\x80\x8b" "words, "
    "and a label long enough to wrap",
    "\xe4\xb8\xad\xe6\x96\x87\xe7\x9a\x84\xe6\xa0\x87\xe9\xa2\x98\xe6\xb2\xa1\xe6"
    "\x9c\x89\xe7\xa9\xba\xe6\xa0\xbc\xef\xbc\x8c\xe4\xb9\x9f\xe8\xa6\x81\xe6\x8d"
    "\xa2\xe8\xa1\x8c\xe6\x89\x8d\xe8\x83\xbd\xe6\x94\xbe\xe5\xbe\x97\xe4\xb8\x8b",
    "Cafe\xcc\x81 e\xcc\x81le\xcc\x81ments with combining accents in a long label",
    "No U.S. official at the World Internet Conference in China, and then some more "
    "words so that it runs to well over three lines at this width",
    "Antidisestablishmentarianismantidisestablishmentarianism",
    "one\ntwo\nthree\nfour",
    "one\ntwo",
    "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd8\xa7\xd9\x84\xd8\xb9\xd8\xa7\xd9\x84"
    "\xd9\x85 \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd8\xa7\xd9\x84\xd8\xb9\xd8\xa7"
    "\xd9\x84\xd9\x85",
    "",
    "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "Trailing space   ",
};

/* Whether `set`, a layout's text, is `text` with line breaks put in: for
 * a space, or before a character (after a hyphen). */
static bool same_words(const char *set, const char *text)
{
    for (const char *t = text; *t; t++) {
        if (*set == *t || (*set == '\n' && *t == ' '))
            set++;
        else if (*set == '\n' && set[1] == *t)
            set += 2;   /* a break put in, not for a space */
        else
            return false;
    }
    return *set == '\0';
}

/* Whether `got` is `text` set in balanced lines: the same words, broken
 * at white space or where Pango may break (after a hyphen), in fewer
 * lines than Pango's wrapping (`want`) or as many and narrower, at a
 * width no narrower one would do: Pango at a point less needs more lines. */
static bool balanced_version(PangoLayout *got_l, const tl_textbox *got, const char *text,
                             double wrap, int max_lines, const tl_textbox *want)
{
    if (max_lines < 2 || wrap <= 0 || want->lines < 2 || want->ellipsized || got->ellipsized ||
        got->lines > want->lines || (got->lines == want->lines && got->w >= want->w) ||
        got->w > wrap || !same_words(pango_layout_get_text(got_l), text))
        return false;
    tl_textbox narrower;
    reference(got_l, text, got->w - 1, 0, &narrower);
    return narrower.lines > got->lines;
}

/* Whether the last line of `l` holds more than one word. */
static bool last_line_has_words(PangoLayout *l)
{
    int n_attrs, nlines = pango_layout_get_line_count(l);
    const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(l, &n_attrs);
    const char *text = pango_layout_get_text(l);
    PangoLayoutLine *last = pango_layout_get_line_readonly(l, nlines - 1);
    long from = g_utf8_pointer_to_offset(text, text + last->start_index);
    for (long i = from + 1; i < n_attrs - 1; i++)
        if (attrs[i].is_line_break)
            return true;
    return false;
}

/* Whether `got` is a paragraph Pango wrapped (`want`, no line limit) with
 * one word on its last line, mended: the same words in as many lines, no
 * wider than the wrap, and more than one word on the last line. */
static bool mended_version(PangoLayout *got_l, const tl_textbox *got, const char *text,
                           double wrap, int max_lines, const tl_textbox *want)
{
    return max_lines <= 0 && wrap > 0 && want->lines >= 2 && got->lines == want->lines &&
           got->h == want->h && got->w <= wrap && !got->ellipsized &&
           same_words(pango_layout_get_text(got_l), text) && last_line_has_words(got_l);
}

/* Every text, at widths from narrow to wide and with and without a line
 * limit, measures as Pango's own wrapping would have it, as balanced lines
 * of it, or with its orphan mended.  Measured twice over, so the second
 * round runs with the measurer's estimate of the font's narrowest letters
 * in place and takes its other path. */
static void test_measure_matches_pango(void)
{
    tl_fonts *fonts = NULL;
    CHECK_INT(tl_fonts_new(NULL, &fonts, NULL), TL_OK);
    if (!fonts)
        return;
    tl_measurer m;
    tl_fonts_measurer(fonts, &m);
    static const double wraps[] = {0, 60, 150, 288, 2000};
    static const int limits[] = {0, 2, 3};
    int one_line_kept = 0, compared = 0, balanced = 0, mended = 0;
    for (int round = 0; round < 2; round++) {
        for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
            for (size_t w = 0; w < sizeof wraps / sizeof *wraps; w++) {
                for (size_t k = 0; k < sizeof limits / sizeof *limits; k++) {
                    tl_font f = {11, (t + w) % 3 == 0, false, false};
                    tl_textbox got, want;
                    memset(&got, 0, sizeof got);
                    m.measure(m.ctx, texts[t], &f, wraps[w], limits[k], &got);
                    CHECK(got.handle != NULL);
                    if (!got.handle)
                        continue;
                    reference(got.handle, texts[t], wraps[w], limits[k], &want);
                    bool same = got.w == want.w && got.h == want.h &&
                                got.baseline == want.baseline && got.lines == want.lines &&
                                got.ellipsized == want.ellipsized;
                    if (!same && balanced_version(got.handle, &got, texts[t], wraps[w],
                                                  limits[k], &want)) {
                        balanced++;
                        same = true;
                    }
                    if (!same && mended_version(got.handle, &got, texts[t], wraps[w],
                                                limits[k], &want)) {
                        mended++;
                        same = true;
                    }
                    if (!same)
                        fprintf(stderr,
                                "'%s' at wrap %g, %d lines: measured %gx%g, %d lines%s; "
                                "Pango %gx%g, %d lines%s\n",
                                texts[t], wraps[w], limits[k], got.w, got.h, got.lines,
                                got.ellipsized ? " ellipsized" : "", want.w, want.h,
                                want.lines, want.ellipsized ? " ellipsized" : "");
                    CHECK(same);
                    compared++;
                    /* A text that fits keeps the layout shaped once, with no
                     * width set. */
                    if (wraps[w] > 0 && pango_layout_get_width(got.handle) == -1) {
                        one_line_kept++;
                        CHECK(got.w <= wraps[w]);
                        CHECK(!got.ellipsized);
                    }
                    m.release(m.ctx, got.handle);
                }
            }
        }
    }
    CHECK(compared > 300);
    CHECK(one_line_kept > 50);
    CHECK(balanced >= 12);
    CHECK(mended >= 4);
    tl_fonts_free(fonts);
}

static tl_chart *lay_out_dataset(tl_doc **doc, tl_fonts **fonts, tl_layout_kind kind)
{
    *doc = NULL;
    *fonts = NULL;
    const char *srcdir = getenv("SRCDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/data/events.yaml", srcdir ? srcdir : ".");
    CHECK_INT(tl_doc_load_file(path, doc, NULL), TL_OK);
    if (!*doc)
        return NULL;
    tl_options *o = tl_options_new();
    tl_layout_params p;
    CHECK_INT(tl_options_resolve(o, TL_FORMAT_SVG, &p, NULL), TL_OK);
    tl_options_free(o);
    p.kind = kind;
    CHECK_INT(tl_fonts_new(NULL, fonts, NULL), TL_OK);
    if (!*fonts)
        return NULL;
    tl_measurer m;
    tl_fonts_measurer(*fonts, &m);
    return tl_layout_new(*doc, &p, &m);
}

/* Lays the dataset out as `kind` and calls check() on each text kept with
 * its shaping that wrapped to two lines or more: with a line limit
 * (`limited`: labels, titles) or without one (the list's paragraphs).
 * Returns how many there were. */
static int each_wrapped_text(tl_layout_kind kind, bool limited,
                             void (*check)(const tl_typeset *ts))
{
    tl_doc *doc;
    tl_fonts *fonts;
    tl_chart *c = lay_out_dataset(&doc, &fonts, kind);
    CHECK(c != NULL);
    int wrapped = 0;
    for (size_t i = 0; c && i < c->nitems; i++) {
        const tl_item *it = &c->items[i];
        const tl_typeset *ts = it->kind == TL_ITEM_TEXT ? tl_item_typeset(c, it) : NULL;
        if (!ts || !ts->handle || ts->wrap <= 0 ||
            (limited ? ts->max_lines < 2 : ts->max_lines > 0) ||
            pango_layout_get_line_count(ts->handle) < 2)
            continue;
        wrapped++;
        check(ts);
    }
    tl_layout_free(c);
    tl_fonts_free(fonts);
    tl_doc_free(doc);
    return wrapped;
}

static void check_even(const tl_typeset *ts)
{
    int widest = 0, narrowest = INT32_MAX;
    for (GSList *l = pango_layout_get_lines_readonly(ts->handle); l; l = l->next) {
        PangoRectangle r;
        pango_layout_line_get_extents(l->data, NULL, &r);
        widest = r.width > widest ? r.width : widest;
        narrowest = r.width < narrowest ? r.width : narrowest;
    }
    if (2 * narrowest < widest)
        fprintf(stderr, "uneven lines: '%s' (%d and %d)\n", ts->text, narrowest, widest);
    CHECK(2 * narrowest >= widest);
}

/* The dataset's wrapped labels and title have even lines: none ends with
 * a short line under a full one, as greedy wrapping left "talks" alone
 * under "U.S. and Russia begin bilateral cybersecurity". */
static void test_dataset_lines_even(void)
{
    CHECK(each_wrapped_text(TL_LAYOUT_AXIS, true, check_even) >= 15);
}

static void check_no_orphan(const tl_typeset *ts)
{
    if (!last_line_has_words(ts->handle))
        fprintf(stderr, "one word on the last line: '%s'\n", ts->text);
    CHECK(last_line_has_words(ts->handle));
}

/* The dataset as a list: no wrapped paragraph ends with one word on its
 * last line ("proportional.", "mistrust." did). */
static void test_dataset_list_no_orphans(void)
{
    CHECK(each_wrapped_text(TL_LAYOUT_LIST, false, check_no_orphan) >= 8);
}

/* Drawing the dataset's chart leaves every kept layout as it was: none is
 * laid out again.  Right-aligned labels used to be, by being given a width
 * and an alignment as they were drawn. */
static void test_draw_keeps_shaping(void)
{
    tl_doc *doc;
    tl_fonts *fonts;
    tl_chart *c = lay_out_dataset(&doc, &fonts, TL_LAYOUT_AXIS);
    CHECK(c != NULL);
    if (c) {
        size_t n = c->nitems, right = 0;
        unsigned *serial = calloc(n, sizeof *serial);
        for (size_t i = 0; i < n; i++) {
            const tl_item *it = &c->items[i];
            const tl_typeset *ts = it->kind == TL_ITEM_TEXT ? tl_item_typeset(c, it) : NULL;
            if (ts && ts->handle) {
                serial[i] = pango_layout_get_serial(ts->handle);
                right += ts->align == 1 && ts->wrap > 0;
            }
        }
        CHECK(right >= 3);   /* labels hung left of their stems */
        cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
        cairo_t *cr = cairo_create(s);
        tl_render_chart(c, cr, 0, fonts);
        CHECK_INT(cairo_status(cr), CAIRO_STATUS_SUCCESS);
        cairo_destroy(cr);
        cairo_surface_destroy(s);
        size_t changed = 0;
        for (size_t i = 0; i < n; i++) {
            const tl_item *it = &c->items[i];
            const tl_typeset *ts = it->kind == TL_ITEM_TEXT ? tl_item_typeset(c, it) : NULL;
            if (ts && ts->handle)
                changed += pango_layout_get_serial(ts->handle) != serial[i];
        }
        CHECK_INT(changed, 0);
        free(serial);
    }
    tl_layout_free(c);
    tl_fonts_free(fonts);
    tl_doc_free(doc);
}

/* How draw_text_item draws: through the renderer from the kept shaping,
 * through the renderer with no kept shaping (as for texts beyond the
 * budget), or straight with Pango's own right alignment. */
typedef enum { KEPT, UNKEPT, PANGO_RIGHT } draw_way;

/* Draws `text` as one text item on a white 400 x 120 image: left-aligned
 * at x = 10, or right-aligned (align 1) in a box of the wrap width ending
 * at x = 390. */
static cairo_surface_t *draw_text_item(tl_fonts *fonts, const char *text, double wrap,
                                       int align, draw_way way)
{
    const int W = 400, H = 120;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(s);
    tl_measurer m;
    tl_fonts_measurer(fonts, &m);
    tl_font f = {12, false, false, false};
    tl_textbox tb;
    memset(&tb, 0, sizeof tb);
    m.measure(m.ctx, text, &f, wrap, 3, &tb);
    double w = align == 1 ? wrap : tb.w;
    tl_item it = {.kind = TL_ITEM_TEXT, .x = align == 1 ? 390 - wrap : 10, .y = 10, .w = w,
                  .h = tb.h, .fill = 1, .typeset = 0, .event = -1};
    tl_typeset ts = {.text = text, .font = f, .wrap = wrap, .max_lines = 3, .align = align,
                     .handle = way == KEPT ? tb.handle : NULL};
    tl_rgba colors[] = {{0, 0, 0, 0}, {0, 0, 0, 1}};
    if (way == PANGO_RIGHT) {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        pango_layout_set_width(tb.handle, (int)(wrap * PANGO_SCALE));
        pango_layout_set_alignment(tb.handle, PANGO_ALIGN_RIGHT);
        cairo_move_to(cr, it.x, it.y);
        pango_cairo_show_layout(cr, tb.handle);
    } else {
        size_t order = 0, first[2] = {0, 1};
        tl_chart c = {.width = W, .height = H, .pages = 1, .items = &it, .nitems = 1,
                      .typesets = &ts, .ntypesets = 1, .colors = colors, .ncolors = 2,
                      .page_items = &order, .page_first = first,
                      .background = {1, 1, 1, 1}};
        tl_render_chart(&c, cr, 0, fonts);
    }
    m.release(m.ctx, tb.handle);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

/* The renderer's line-by-line right alignment puts the glyphs where Pango's
 * alignment would: the two images differ by no more than rounding. */
static void test_right_alignment(void)
{
    tl_fonts *fonts = NULL;
    CHECK_INT(tl_fonts_new(NULL, &fonts, NULL), TL_OK);
    if (!fonts)
        return;
    static const char *const samples[] = {
        "Kerry stresses partnering with other nations on cyber",
        "between Nov 2014 and 17 Mar 2015  [2]",
        "short",
    };
    for (size_t k = 0; k < sizeof samples / sizeof *samples; k++) {
        cairo_surface_t *a = draw_text_item(fonts, samples[k], 200, 1, KEPT);
        cairo_surface_t *b = draw_text_item(fonts, samples[k], 200, 1, PANGO_RIGHT);
        const unsigned char *pa = cairo_image_surface_get_data(a);
        const unsigned char *pb = cairo_image_surface_get_data(b);
        int stride = cairo_image_surface_get_stride(a), h = cairo_image_surface_get_height(a);
        long ink = 0, off = 0;
        int rightmost = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < cairo_image_surface_get_width(a); x++) {
                const unsigned char *ca = pa + (size_t)y * stride + 4 * x;
                const unsigned char *cb = pb + (size_t)y * stride + 4 * x;
                if (ca[0] < 128) {
                    ink++;
                    if (x > rightmost)
                        rightmost = x;
                }
                for (int ch = 0; ch < 3; ch++)
                    off += abs(ca[ch] - cb[ch]) > 8;
            }
        }
        if (off != 0 || ink < 50)
            fprintf(stderr, "'%s': %ld dark pixels, %ld channel values off\n", samples[k], ink,
                    off);
        CHECK(ink >= 50);
        CHECK_INT(off, 0);
        /* Flush right: the last ink is within a glyph's side bearing of
         * the box's right edge at x = 390. */
        CHECK(rightmost >= 386 && rightmost <= 390);
        cairo_surface_destroy(a);
        cairo_surface_destroy(b);
    }
    tl_fonts_free(fonts);
}

/* A text drawn without its kept shaping is shaped the same way again: the
 * same pixels, whether it fits its wrap or not, left- or right-aligned. */
static void test_draw_unkept(void)
{
    tl_fonts *fonts = NULL;
    CHECK_INT(tl_fonts_new(NULL, &fonts, NULL), TL_OK);
    if (!fonts)
        return;
    static const char *const samples[] = {
        "Kerry stresses partnering with other nations on cyber",
        "short",
    };
    for (size_t k = 0; k < sizeof samples / sizeof *samples; k++) {
        for (int align = -1; align <= 1; align += 2) {
            cairo_surface_t *a = draw_text_item(fonts, samples[k], 200, align, KEPT);
            cairo_surface_t *b = draw_text_item(fonts, samples[k], 200, align, UNKEPT);
            size_t n = (size_t)cairo_image_surface_get_stride(a) *
                       (size_t)cairo_image_surface_get_height(a);
            const unsigned char *pa = cairo_image_surface_get_data(a);
            long ink = 0;
            for (size_t i = 0; i < n; i += 4)
                ink += pa[i] < 128;
            CHECK(ink >= 20);
            CHECK(memcmp(pa, cairo_image_surface_get_data(b), n) == 0);
            cairo_surface_destroy(a);
            cairo_surface_destroy(b);
        }
    }
    tl_fonts_free(fonts);
}

int main(void)
{
    test_measure_matches_pango();
    test_dataset_lines_even();
    test_dataset_list_no_orphans();
    test_draw_keeps_shaping();
    test_right_alignment();
    test_draw_unkept();
    return check_report("test_render");
}
