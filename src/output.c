/* output.c — Cairo surfaces for each format, and files written safely.
 *
 * A chart is rendered into memory first and reaches its file only when it
 * is complete: written to a temporary file beside the target, flushed, and
 * renamed over it.  A failed run therefore never leaves a partial file and
 * never clobbers an existing one. */
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

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return tl_buf_append(closure, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* XML text with &, <, > and quotes escaped. */
static void xml_escape(tl_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': tl_buf_puts(b, "&amp;"); break;
        case '<': tl_buf_puts(b, "&lt;"); break;
        case '>': tl_buf_puts(b, "&gt;"); break;
        case '"': tl_buf_puts(b, "&quot;"); break;
        default: tl_buf_append(b, s, 1);
        }
    }
}

/* Cairo's SVG has no title or description: add both right after the <svg>
 * start tag, with role="img", so screen readers announce the chart and read
 * its events. */
static bool svg_accessible(const tl_buf *in, const tl_doc *doc, const char *title, tl_buf *out)
{
    const char *start = memchr(in->data, '<', in->len);
    const unsigned char *svg = NULL;
    for (size_t i = 0; i + 4 < in->len; i++)
        if (memcmp(in->data + i, "<svg", 4) == 0) {
            svg = in->data + i;
            break;
        }
    (void)start;
    if (!svg)
        return tl_buf_append(out, in->data, in->len);
    const unsigned char *gt = memchr(svg, '>', in->len - (size_t)(svg - in->data));
    if (!gt)
        return tl_buf_append(out, in->data, in->len);
    tl_buf_append(out, in->data, (size_t)(gt - in->data));
    tl_buf_puts(out, " role=\"img\" aria-labelledby=\"tl-title tl-desc\">\n<title id=\"tl-title\">");
    xml_escape(out, title ? title : "Timeline");
    tl_buf_puts(out, "</title>\n<desc id=\"tl-desc\">");
    tl_buf plain = {0};
    tl_text_plain(doc, &plain);
    tl_buf_append(&plain, "", 1);
    if (!plain.failed)
        xml_escape(out, (const char *)plain.data);
    tl_buf_free(&plain);
    tl_buf_puts(out, "</desc>");
    tl_buf_append(out, gt + 1, in->len - (size_t)(gt + 1 - in->data));
    return !out->failed;
}

static tl_status surface_error(cairo_status_t st, tl_diag *diag)
{
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

/* Draws the chart into `out` in the format asked. */
static tl_status draw(const tl_doc *doc, const tl_options *o, tl_format fmt, tl_buf *out,
                      tl_diag *diag)
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
    tl_measurer m;
    tl_fonts_measurer(fonts, &m);
    tl_chart *c = tl_layout_new(doc, &p, &m);
    lap(o, &tm->layout, &mark);
    cairo_surface_t *s = NULL;
    tl_buf raw = {0};
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
    double scale = fmt == TL_FORMAT_PNG ? o->scale : 1.0;
    tl_buf *target = fmt == TL_FORMAT_SVG ? &raw : out;
    if (fmt == TL_FORMAT_SVG) {
        s = cairo_svg_surface_create_for_stream(write_buf, target, c->width, c->height);
        cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT);
    } else if (fmt == TL_FORMAT_PDF) {
        s = cairo_pdf_surface_create_for_stream(write_buf, target, c->width, c->height);
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
        st = surface_error(cairo_surface_status(s), diag);
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
        cst = cairo_surface_write_to_png_stream(s, write_buf, out);
    cairo_surface_finish(s);
    if (cst == CAIRO_STATUS_SUCCESS)
        cst = cairo_surface_status(s);
    if (cst != CAIRO_STATUS_SUCCESS) {
        st = surface_error(cst, diag);
        goto done;
    }
    if (fmt == TL_FORMAT_SVG && !svg_accessible(&raw, doc, c->doc_title, out))
        st = TL_ERR_NOMEM;
    if (out->failed)
        st = TL_ERR_NOMEM;
    lap(o, &tm->output, &mark);
done:
    if (s)
        cairo_surface_destroy(s);
    tl_buf_free(&raw);
    tl_layout_free(c);
    tl_fonts_free(fonts);
    return st;
}

static tl_status render_mem(const tl_doc *doc, const tl_options *o, tl_format fmt, tl_buf *out,
                            tl_diag *diag)
{
    if (o->timings)
        *o->timings = (tl_timings){0};
    if (fmt == TL_FORMAT_TEXT) {
        if (!tl_text_markdown(doc, o->title, o->subtitle, out))
            return TL_ERR_NOMEM;
        return TL_OK;
    }
    if (fmt != TL_FORMAT_SVG && fmt != TL_FORMAT_PDF && fmt != TL_FORMAT_PNG) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "no output format given — use --format");
        return TL_ERR_USAGE;
    }
    return draw(doc, o, fmt, out, diag);
}

tl_status tl_render_buffer(const tl_doc *doc, const tl_options *o, tl_format fmt,
                           unsigned char **data, size_t *len, tl_diag *diag)
{
    *data = NULL;
    *len = 0;
    if (fmt == TL_FORMAT_AUTO)
        fmt = o->format;
    tl_buf b = {0};
    tl_status st = render_mem(doc, o, fmt, &b, diag);
    if (st != TL_OK) {
        tl_buf_free(&b);
        return st;
    }
    *data = b.data;
    *len = b.len;
    return TL_OK;
}

static tl_status io_error(tl_diag *diag, const char *what, const char *path, int err)
{
    tl_diag_add(diag, TL_ERROR, path, 0, 0, "%s: %s", what, strerror(err));
    return TL_ERR_IO;
}

static bool write_all(int fd, const unsigned char *p, size_t n, int *err)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            *err = errno;
            return false;
        }
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* Writes data to path through a temporary file in the same directory. */
static tl_status write_atomic(const char *path, const tl_buf *b, tl_diag *diag)
{
    struct stat st;
    mode_t mode = 0644;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return io_error(diag, "cannot write the chart", path, EISDIR);
        mode = st.st_mode & 07777;
    }
    size_t n = strlen(path);
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    char *tmp = malloc(n + 32);
    if (!tmp)
        return TL_ERR_NOMEM;
    snprintf(tmp, n + 32, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int err = errno;
        tl_status r = io_error(diag, "cannot create the output file", path, err);
        free(tmp);
        return r;
    }
    int err = 0;
    bool ok = write_all(fd, b->data, b->len, &err);
    if (ok && fchmod(fd, mode) != 0) {
        err = errno;
        ok = false;
    }
    if (ok && fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
        err = errno;
        ok = false;
    }
    if (close(fd) != 0 && ok) {
        err = errno;
        ok = false;
    }
    if (ok && rename(tmp, path) != 0) {
        err = errno;
        ok = false;
    }
    tl_status r = TL_OK;
    if (!ok) {
        unlink(tmp);
        r = io_error(diag, "cannot write the chart", path, err);
    }
    free(tmp);
    return r;
}

tl_status tl_render_file(const tl_doc *doc, const tl_options *o, const char *path,
                         tl_diag *diag)
{
    bool to_stdout = strcmp(path, "-") == 0;
    tl_format fmt = o->format != TL_FORMAT_AUTO ? o->format : tl_format_from_path(path);
    if (fmt == TL_FORMAT_AUTO) {
        tl_diag_add(diag, TL_ERROR, path, 0, 0,
                    "cannot tell the output format — use a .svg, .pdf, .png, .txt or .md "
                    "name, or --format");
        return TL_ERR_USAGE;
    }
    tl_buf b = {0};
    tl_status st = render_mem(doc, o, fmt, &b, diag);
    tl_timings unused, *tm = o->timings ? o->timings : &unused;
    double mark = o->timings ? now() : 0;
    if (st == TL_OK) {
        if (to_stdout) {
            int err = 0;
            if (!write_all(STDOUT_FILENO, b.data, b.len, &err))
                st = io_error(diag, "cannot write the chart", "<stdout>", err);
        } else {
            st = write_atomic(path, &b, diag);
        }
        lap(o, &tm->output, &mark);
    }
    tl_buf_free(&b);
    return st;
}
