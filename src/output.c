/* output.c — Cairo surfaces for each format, and files written safely.
 *
 * A chart goes to its file as Cairo writes it, but into a temporary file
 * beside the target, which is flushed and renamed over the target only
 * when the chart is complete.  A failed run therefore never leaves a
 * partial file and never clobbers an existing one, and a large chart is
 * never held in memory whole. */
#include "diag.h"
#include "options.h"
#include "render.h"
#include "text.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Where a chart's bytes go: a buffer in memory, or a file descriptor
 * through a buffer of its own, since Cairo writes a few bytes at a time. */
typedef struct sink {
    tl_buf *mem;              /* NULL: write to fd */
    int fd;
    const char *name;         /* the file, for messages */
    int err;                  /* errno of the first failed write, or 0 */
    size_t fill;
    /* SVG: the document whose title and description go right after the
     * <svg> tag.  Cairo's SVG has neither: they let screen readers announce
     * the chart and read its events. */
    const tl_doc *svg_doc;
    const char *svg_title;
    tl_lang svg_lang;
    int svg_state;            /* 0: before "<svg", 1: in that tag, 2: done */
    int svg_match;            /* bytes of "<svg" seen so far */
    unsigned char chunk[1 << 16];
} sink;

static bool sink_flush(sink *s)
{
    if (s->mem || s->err)
        return !s->err;
    const unsigned char *p = s->chunk;
    while (s->fill) {
        ssize_t k = write(s->fd, p, s->fill);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            s->err = errno;
            return false;
        }
        p += k;
        s->fill -= (size_t)k;
    }
    return true;
}

static bool sink_put(sink *s, const void *data, size_t len)
{
    if (s->mem)
        return tl_buf_append(s->mem, data, len);
    while (len) {
        if (s->fill == sizeof s->chunk && !sink_flush(s))
            return false;
        size_t k = sizeof s->chunk - s->fill;
        if (k > len)
            k = len;
        memcpy(s->chunk + s->fill, data, k);
        s->fill += k;
        data = (const unsigned char *)data + k;
        len -= k;
    }
    return true;
}

static bool sink_puts(sink *s, const char *str) { return sink_put(s, str, strlen(str)); }

/* XML text with &, <, > and quotes escaped. */
static bool sink_escaped(void *closure, const char *str)
{
    sink *s = closure;
    for (const char *run = str;; str++) {
        const char *esc = *str == '&' ? "&amp;" : *str == '<' ? "&lt;" : *str == '>' ? "&gt;"
                        : *str == '"' ? "&quot;" : NULL;
        if (esc || !*str) {
            if (!sink_put(s, run, (size_t)(str - run)))
                return false;
            if (!*str)
                return true;
            if (!sink_puts(s, esc))
                return false;
            run = str + 1;
        }
    }
}

/* The end of the <svg> start tag: role="img", a title and a description
 * (the events as plain text, written as they are made). */
static bool svg_head(sink *s)
{
    return sink_puts(s, " role=\"img\" aria-labelledby=\"tl-title tl-desc\">\n"
                        "<title id=\"tl-title\">") &&
           sink_escaped(s, s->svg_title ? s->svg_title
                                        : tl_lang_word(s->svg_lang, TL_W_TIMELINE)) &&
           sink_puts(s, "</title>\n<desc id=\"tl-desc\">") &&
           tl_text_plain(s->svg_doc, s->svg_lang, sink_escaped, s) && sink_puts(s, "</desc>");
}

/* Cairo's write callback: passes the bytes on, putting svg_head in place
 * of the '>' that ends the <svg> start tag. */
static cairo_status_t sink_write(void *closure, const unsigned char *p, unsigned int len)
{
    sink *s = closure;
    size_t n = len;
    for (size_t i = 0; s->svg_doc && s->svg_state < 2 && i < n; i++) {
        if (s->svg_state == 0) {
            s->svg_match = p[i] == (unsigned char)"<svg"[s->svg_match] ? s->svg_match + 1
                                                                       : p[i] == '<';
            if (s->svg_match == 4)
                s->svg_state = 1;
        } else if (p[i] == '>') {
            s->svg_state = 2;
            if (!sink_put(s, p, i) || !svg_head(s))
                return CAIRO_STATUS_WRITE_ERROR;
            p += i + 1;
            n -= i + 1;
        }
    }
    return sink_put(s, p, n) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static tl_status io_error(tl_diag *diag, const char *what, const char *path, int err)
{
    tl_diag_add(diag, TL_ERROR, path, 0, 0, "%s: %s", what, strerror(err));
    return TL_ERR_IO;
}

static tl_status surface_error(cairo_status_t st, const sink *out, tl_diag *diag)
{
    if (out->err)
        return io_error(diag, "cannot write the chart", out->name, out->err);
    if (out->mem && out->mem->failed)
        st = CAIRO_STATUS_NO_MEMORY;
    tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "drawing failed: %s", cairo_status_to_string(st));
    return st == CAIRO_STATUS_NO_MEMORY ? TL_ERR_NOMEM : TL_ERR_IO;
}

/* A PNG side in pixels: the chart's units rounded, then scaled.  A double,
 * so that check_size can refuse a side too big for an int before the cast. */
static double png_side(double units, double scale)
{
    return floor(floor(units + 0.5) * scale + 0.5);
}

/* Checks a laid-out chart against the output limits. */
static tl_status check_size(const tl_chart *c, tl_format fmt, double scale, tl_diag *diag)
{
    if (fmt == TL_FORMAT_PNG) {
        double w = png_side(c->width, scale), h = png_side(c->height, scale);
        if (w > TL_MAX_PNG_SIDE || h > TL_MAX_PNG_SIDE || w * h > TL_MAX_PNG_PIXELS) {
            tl_diag_add(diag, TL_ERROR, NULL, 0, 0,
                        "the chart needs %.0f × %.0f px, more than the PNG limits (%.0f px a "
                        "side, %.0f Mpx) — narrow it with --from/--to or --min-importance, or "
                        "use PDF",
                        w, h, TL_MAX_PNG_SIDE, TL_MAX_PNG_PIXELS / 1e6);
            return TL_ERR_USAGE;
        }
    } else if (c->height > TL_MAX_PAGE_PT || c->pages > TL_MAX_PDF_PAGES) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0,
                    "the chart needs a page %.0f pt tall, more than the %.0f pt limit — "
                    "narrow it with --from/--to or --min-importance, or use the list layout "
                    "in PDF",
                    c->height, TL_MAX_PAGE_PT);
        return TL_ERR_USAGE;
    }
    return TL_OK;
}

static void pdf_metadata(cairo_surface_t *s, const tl_chart *c)
{
    if (c->doc_title)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, c->doc_title);
    if (c->doc_subject)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, c->doc_subject);
    if (c->doc_author)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, c->doc_author);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
                                   "timeline " TIMELINE_VERSION_STRING);
    /* A fixed date keeps the same input giving the same bytes. */
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, "2000-01-01T00:00:00Z");
}

/* Seconds on a clock that only goes forward, for tl_timings. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Adds the time since *mark to *stage (when timings are asked for) and
 * moves the mark on. */
static void lap(const tl_options *o, double *stage, double *mark)
{
    if (!o->timings)
        return;
    double t = now();
    *stage += t - *mark;
    *mark = t;
}

/* The chart's words in a script no font here has would be drawn as boxes
 * with their codes: say so, and what to install. */
static void warn_script(tl_fonts *fonts, tl_lang lang, tl_diag *diag)
{
    char sample[96];
    snprintf(sample, sizeof sample, "%s %s", tl_lang_word(lang, TL_W_TIMELINE),
             tl_lang_month(lang, 1, false));
    if (!tl_fonts_cover(fonts, sample))
        tl_diag_add(diag, TL_WARNING, NULL, 0, 0,
                    "no font on this machine has the characters of '%s' dates and words "
                    "— they are drawn as boxes; install a font for the language, such as "
                    "fonts-noto-cjk",
                    tl_lang_code(lang));
}

/* Draws the chart into `out` in the format asked. */
/* Lays out and draws.  With `take` set, *take is doc and may be freed,
 * and set to NULL, once the chart is laid out: a PNG's image or a PDF's
 * pages then never share memory with the document. */
static tl_status draw(const tl_doc *doc, tl_doc **take, const tl_options *o, tl_format fmt,
                      sink *out, tl_diag *diag)
{
    tl_layout_params p;
    tl_status st = tl_options_resolve(o, fmt, &p, diag);
    if (st != TL_OK)
        return st;
    tl_timings unused, *tm = o->timings ? o->timings : &unused;
    double mark = o->timings ? now() : 0;
    tl_fonts *fonts = NULL;
    st = tl_fonts_new(o->font, &fonts, diag);
    lap(o, &tm->fonts, &mark);
    if (st != TL_OK)
        return st;
    warn_script(fonts, tl_lang_pick(o->lang, doc->lang), diag);
    tl_measurer m;
    tl_fonts_measurer(fonts, &m);
    tl_chart *c = tl_layout_new(doc, &p, &m);
    lap(o, &tm->layout, &mark);
    cairo_surface_t *s = NULL;
    if (!c) {
        st = TL_ERR_NOMEM;
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "out of memory while laying out the chart");
        goto done;
    }
    if (c->unlabelled)
        tl_diag_add(diag, TL_WARNING, NULL, 0, 0,
                    "%zu of %zu events have no label (no room) — they are drawn as markers; "
                    "use --min-importance, --from/--to, a larger size or the list layout",
                    c->unlabelled, c->nevents);
    st = check_size(c, fmt, o->scale, diag);
    if (st != TL_OK)
        goto done;
    /* An SVG's description is the document's text, written as it starts. */
    if (take && fmt != TL_FORMAT_SVG && tl_layout_detach(c)) {
        tl_doc_free(*take);
        *take = NULL;
        doc = NULL;
    }
    double scale = fmt == TL_FORMAT_PNG ? o->scale : 1.0;
    if (fmt == TL_FORMAT_SVG) {
        out->svg_doc = doc;
        out->svg_title = c->doc_title;
        out->svg_lang = tl_lang_pick(o->lang, doc->lang);
        s = cairo_svg_surface_create_for_stream(sink_write, out, c->width, c->height);
        cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT);
    } else if (fmt == TL_FORMAT_PDF) {
        s = cairo_pdf_surface_create_for_stream(sink_write, out, c->width, c->height);
        pdf_metadata(s, c);
    } else {
        /* Whole pixels at scale 1 first, so --scale 2 doubles both sides
         * exactly. */
        /* An opaque chart needs no alpha channel: an RGB PNG is a quarter
         * less data to filter and compress. */
        s = cairo_image_surface_create(c->background.a >= 1 ? CAIRO_FORMAT_RGB24
                                                             : CAIRO_FORMAT_ARGB32,
                                       (int)png_side(c->width, scale),
                                       (int)png_side(c->height, scale));
    }
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        st = surface_error(cairo_surface_status(s), out, diag);
        goto done;
    }
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    for (int page = 0; page < c->pages; page++) {
        tl_render_chart(c, cr, page, fonts);
        if (fmt == TL_FORMAT_PDF)
            cairo_show_page(cr);
    }
    cairo_status_t cst = cairo_status(cr);
    cairo_destroy(cr);
    lap(o, &tm->draw, &mark);
    if (cst == CAIRO_STATUS_SUCCESS && fmt == TL_FORMAT_PNG)
        cst = cairo_surface_write_to_png_stream(s, sink_write, out);
    cairo_surface_finish(s);
    if (cst == CAIRO_STATUS_SUCCESS)
        cst = cairo_surface_status(s);
    if (cst != CAIRO_STATUS_SUCCESS) {
        st = surface_error(cst, out, diag);
        goto done;
    }
    if (out->mem && out->mem->failed)
        st = TL_ERR_NOMEM;
    lap(o, &tm->output, &mark);
done:
    if (s)
        cairo_surface_destroy(s);
    out->svg_doc = NULL;
    tl_layout_free(c);
    tl_fonts_free(fonts);
    return st;
}

/* Renders the document into `out` in format `fmt`. */
static tl_status render_to(const tl_doc *doc, tl_doc **take, const tl_options *o,
                           tl_format fmt, sink *out, tl_diag *diag)
{
    if (o->timings)
        *o->timings = (tl_timings){0};
    if (fmt == TL_FORMAT_TEXT) {
        tl_buf b = {0};
        /* The table's times in the zone the options ask for. */
        tl_doc shown = *doc;
        if (o->tz != TL_TZ_NONE && o->tz != doc->tz) {
            shown.tz = o->tz;
            shown.tz_abbr[0] = '\0';
        }
        bool ok = tl_text_markdown(&shown, o->lang, o->title, o->subtitle, &b) &&
                  sink_put(out, b.data, b.len);
        tl_buf_free(&b);
        if (out->err)
            return io_error(diag, "cannot write the chart", out->name, out->err);
        return ok ? TL_OK : TL_ERR_NOMEM;
    }
    if (fmt != TL_FORMAT_SVG && fmt != TL_FORMAT_PDF && fmt != TL_FORMAT_PNG) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "no output format given — use --format");
        return TL_ERR_USAGE;
    }
    return draw(doc, take, o, fmt, out, diag);
}

static sink *sink_new(tl_buf *mem, int fd, const char *name)
{
    sink *s = malloc(sizeof *s);
    if (s)
        *s = (sink){.mem = mem, .fd = fd, .name = name};
    return s;
}

tl_status tl_render_buffer(const tl_doc *doc, const tl_options *o, tl_format fmt,
                           unsigned char **data, size_t *len, tl_diag *diag)
{
    *data = NULL;
    *len = 0;
    if (fmt == TL_FORMAT_AUTO)
        fmt = o->format;
    tl_buf b = {0};
    sink *s = sink_new(&b, -1, NULL);
    tl_status st = s ? render_to(doc, NULL, o, fmt, s, diag) : TL_ERR_NOMEM;
    free(s);
    if (st != TL_OK) {
        tl_buf_free(&b);
        return st;
    }
    *data = b.data;
    *len = b.len;
    return TL_OK;
}

/* Creates the temporary file that becomes `path`: in the same directory,
 * so that rename() replaces the target in one step.  Sets *fd, *tmp (to
 * free) and *mode, the target's permissions if it exists. */
static tl_status open_temp(const char *path, int *fd, char **tmp, mode_t *mode, tl_diag *diag)
{
    struct stat st;
    *fd = -1;
    *tmp = NULL;
    *mode = 0644;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return io_error(diag, "cannot write the chart", path, EISDIR);
        *mode = st.st_mode & 07777;
    }
    size_t n = strlen(path);
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    char *t = malloc(n + 32);
    if (!t)
        return TL_ERR_NOMEM;
    snprintf(t, n + 32, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
    *fd = mkstemp(t);
    if (*fd < 0) {
        int err = errno;
        free(t);
        return io_error(diag, "cannot create the output file", path, err);
    }
    *tmp = t;
    return TL_OK;
}

/* Puts a complete temporary file in the target's place, or removes it. */
static tl_status finish_temp(int fd, char *tmp, mode_t mode, const char *path, bool ok,
                             tl_diag *diag)
{
    int err = 0;
    if (ok && fchmod(fd, mode) != 0)
        err = errno;
    if (ok && !err && fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        err = errno;
    if (close(fd) != 0 && ok && !err)
        err = errno;
    if (ok && !err && rename(tmp, path) != 0)
        err = errno;
    tl_status r = TL_OK;
    if (!ok || err) {
        unlink(tmp);
        if (err)
            r = io_error(diag, "cannot write the chart", path, err);
    }
    free(tmp);
    return r;
}

static tl_status render_file(const tl_doc *doc, tl_doc **take, const tl_options *o,
                             const char *path, tl_diag *diag)
{
    bool to_stdout = strcmp(path, "-") == 0;
    tl_format fmt = o->format != TL_FORMAT_AUTO ? o->format : tl_format_from_path(path);
    if (fmt == TL_FORMAT_AUTO) {
        tl_diag_add(diag, TL_ERROR, path, 0, 0,
                    "cannot tell the output format — use a .svg, .pdf, .png, .txt or .md "
                    "name, or --format");
        return TL_ERR_USAGE;
    }
    char *tmp = NULL;
    mode_t mode = 0;
    int fd = STDOUT_FILENO;
    tl_status st = to_stdout ? TL_OK : open_temp(path, &fd, &tmp, &mode, diag);
    if (st != TL_OK)
        return st;
    sink *s = sink_new(NULL, fd, to_stdout ? "<stdout>" : path);
    st = s ? render_to(doc, take, o, fmt, s, diag) : TL_ERR_NOMEM;
    tl_timings unused, *tm = o->timings ? o->timings : &unused;
    double mark = o->timings ? now() : 0;
    if (st == TL_OK && !sink_flush(s))
        st = io_error(diag, "cannot write the chart", s->name, s->err);
    free(s);
    if (!to_stdout) {
        tl_status fin = finish_temp(fd, tmp, mode, path, st == TL_OK, diag);
        if (st == TL_OK)
            st = fin;
    }
    if (st == TL_OK)
        lap(o, &tm->output, &mark);
    return st;
}

tl_status tl_render_file(const tl_doc *doc, const tl_options *o, const char *path,
                         tl_diag *diag)
{
    return render_file(doc, NULL, o, path, diag);
}

tl_status tl_render_file_consume(tl_doc *doc, const tl_options *o, const char *path,
                                 tl_diag *diag)
{
    tl_status st = render_file(doc, &doc, o, path, diag);
    tl_doc_free(doc);
    return st;
}
