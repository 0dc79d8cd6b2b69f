/* output.c — Cairo surfaces for each format, and files written safely.
 *
 * A chart goes to its file as Cairo writes it, but into a temporary file
 * beside the target, which is flushed and renamed over the target only
 * when the chart is complete.  A failed run therefore never leaves a
 * partial file and never clobbers an existing one, and a large chart is
 * never held in memory whole. */
#include "diag.h"
#include "options.h"
#include "pipeline.h"
#include "svg.h"
#include "text.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Where a chart's bytes go: a buffer in memory, or a file descriptor
 * through a buffer of its own, since Cairo writes a few bytes at a time. */
typedef struct sink {
    tl_buf *mem;              /* NULL: write to fd, or to `write` if set */
    int fd;
    tl_write_fn write;        /* the caller's, with its closure */
    void *closure;
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
    if (s->write) {
        if (s->fill && s->write(s->closure, s->chunk, s->fill) != 0)
            s->err = EIO;
        s->fill = 0;
        return !s->err;
    }
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

static bool sink_put_any(void *closure, const void *data, size_t len)
{
    return sink_put(closure, data, len);
}

/* XML character data: markup escaped, and no byte XML 1.0 refuses. */
static bool sink_escaped(void *closure, const char *str)
{
    return tl_xml_escape(str, sink_put_any, closure);
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

static bool svg_put(void *closure, const void *data, size_t len)
{
    return sink_put(closure, data, len);
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

/* A PNG side in pixels: the chart's points at 96 px per inch, rounded,
 * then scaled.  A double, so that check_size can refuse a side too big for
 * an int before the cast. */
static double png_side(double units, double scale)
{
    return floor(floor(units * TL_PX_PER_PT + 0.5) * scale + 0.5);
}

/* Checks a laid-out chart, `height` units tall in all, against the output
 * limits. */
static tl_status check_size(const tl_chart *c, double height, tl_format fmt, double scale,
                            tl_diag *diag)
{
    if (fmt == TL_FORMAT_PNG) {
        double w = png_side(c->width, scale), h = png_side(height, scale);
        if (w > TL_MAX_PNG_SIDE || h > TL_MAX_PNG_SIDE || w * h > TL_MAX_PNG_PIXELS) {
            tl_diag_add(diag, TL_ERROR, NULL, 0, 0,
                        "the chart needs %.0f × %.0f px, more than the PNG limits (%.0f px a "
                        "side, %.0f Mpx) — narrow the date range or raise the minimum "
                        "importance, or use PDF",
                        w, h, TL_MAX_PNG_SIDE, TL_MAX_PNG_PIXELS / 1e6);
            return TL_ERR_USAGE;
        }
    } else if (height > TL_MAX_PAGE_PT || c->pages > TL_MAX_PDF_PAGES) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0,
                    "the chart needs a page %.0f pt tall, more than the %.0f pt limit — "
                    "narrow the date range or raise the minimum importance, or use the list "
                    "layout in PDF",
                    height, TL_MAX_PAGE_PT);
        return TL_ERR_USAGE;
    }
    return TL_OK;
}

/* Draws every page: a PDF's one to a sheet; SVG and PNG have no pages, so
 * theirs go one below the other on one tall image, a dashed rule between
 * them — never on top of each other. */
static void draw_pages(const tl_chart *c, cairo_t *cr, tl_format fmt, tl_fonts *fonts)
{
    for (int page = 0; page < c->pages; page++) {
        if (fmt == TL_FORMAT_PDF || c->pages == 1) {
            tl_render_chart(c, cr, page, fonts);
            if (fmt == TL_FORMAT_PDF)
                cairo_show_page(cr);
            continue;
        }
        cairo_save(cr);
        cairo_translate(cr, 0, page * c->height);
        cairo_rectangle(cr, 0, 0, c->width, c->height);
        cairo_clip(cr);
        tl_render_chart(c, cr, page, fonts);
        cairo_restore(cr);
        if (page > 0) {
            /* Grey at half strength shows on every theme's background. */
            double dash[] = {4, 3};
            cairo_save(cr);
            cairo_set_source_rgba(cr, 0.5, 0.5, 0.5, 0.5);
            cairo_set_line_width(cr, 1);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_move_to(cr, 0, page * c->height);
            cairo_line_to(cr, c->width, page * c->height);
            cairo_stroke(cr);
            cairo_restore(cr);
        }
    }
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

/* Adds the time since *mark to *stage (when timings are asked for) and
 * moves the mark on. */
static void lap(const tl_options *o, double *stage, double *mark)
{
    if (!o->timings)
        return;
    double t = tl_now();
    *stage += t - *mark;
    *mark = t;
}

/* Lays out (see tl_plot_new) and draws.  With `take` set, *take is doc
 * and may be freed, and set to NULL, once the chart is laid out: a PNG's
 * image or a PDF's pages then never share memory with the document. */
static tl_status draw(const tl_doc *doc, tl_doc **take, const tl_options *o, tl_format fmt,
                      sink *out, tl_diag *diag)
{
    tl_plot plot;
    tl_status st = tl_plot_new(doc, o, fmt, NULL, true, &plot, diag);
    if (st != TL_OK)
        return st;
    tl_timings unused, *tm = o->timings ? o->timings : &unused;
    double mark = o->timings ? tl_now() : 0;
    tl_chart *c = plot.chart;
    cairo_surface_t *s = NULL;
    /* SVG and PNG stack a list's pages: see draw_pages. */
    double height = fmt == TL_FORMAT_PDF ? c->height : c->height * c->pages;
    st = check_size(c, height, fmt, o->scale, diag);
    if (st != TL_OK)
        goto done;
    /* An SVG's description is the document's text, written as it starts. */
    if (take && fmt != TL_FORMAT_SVG && tl_layout_detach(c)) {
        tl_doc_free(*take);
        *take = NULL;
        doc = NULL;
    }
    if (fmt == TL_FORMAT_SVG && !o->svg_paths) {   /* SVG with <text>: svg.c */
        st = tl_svg_write(c, doc, plot.fonts, o->id_prefix, svg_put, out);
        if (st != TL_OK)
            st = surface_error(st == TL_ERR_IO ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_NO_MEMORY,
                               out, diag);
        lap(o, &tm->draw, &mark);   /* drawing is writing here */
        lap(o, &tm->output, &mark);
        goto done;
    }
    double scale = fmt == TL_FORMAT_PNG ? o->scale : 1.0;
    if (fmt == TL_FORMAT_SVG) {
        out->svg_doc = doc;
        out->svg_title = c->doc_title;
        out->svg_lang = tl_lang_pick(o->lang, doc->lang);
        s = cairo_svg_surface_create_for_stream(sink_write, out, c->width, height);
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
                                       (int)png_side(height, scale));
    }
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        st = surface_error(cairo_surface_status(s), out, diag);
        goto done;
    }
    cairo_t *cr = cairo_create(s);
    if (fmt == TL_FORMAT_PNG) {
        /* The whole image, to its last whole pixel, in the background: a
         * width of 793.7 px would otherwise leave the 794th column grey. */
        cairo_set_source_rgba(cr, c->background.r, c->background.g, c->background.b,
                              c->background.a);
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
        cairo_paint(cr);
        cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
    }
    if (fmt == TL_FORMAT_PNG) /* the chart is in points: 96 px per inch */
        cairo_scale(cr, scale * TL_PX_PER_PT, scale * TL_PX_PER_PT);
    draw_pages(c, cr, fmt, plot.fonts);
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
    tl_plot_free(&plot);
    return st;
}

/* Renders the document into `out` in format `fmt`. */
static tl_status render_to(const tl_doc *doc, tl_doc **take, const tl_options *o,
                           tl_format fmt, sink *out, tl_diag *diag)
{
    if (o->timings)
        *o->timings = (tl_timings){0};
    /* A loaded document has events: none left means a filter took all. */
    if (doc->nevents == 0)
        tl_diag_add(diag, TL_WARNING, NULL, 0, 0,
                    "the filters keep none of the events — the chart is empty");
    if (fmt == TL_FORMAT_TEXT) {
        tl_buf b = {0};
        /* The table's times in the zone the options ask for. */
        tl_doc shown = *doc;
        tl_layout_params zp = {.tz = o->tz};
        if (tl_options_resolve_zone(o, doc, &zp, diag) != TL_OK)
            return TL_ERR_USAGE;
        if (zp.tz != TL_TZ_NONE && (zp.tz != doc->tz || zp.tz_abbr[0])) {
            shown.tz = zp.tz;
            snprintf(shown.tz_abbr, sizeof shown.tz_abbr, "%s", zp.tz_abbr);
        }
        bool ok = tl_text_markdown(&shown, o->lang, o->title, o->subtitle, &b) &&
                  sink_put(out, b.data, b.len);
        tl_buf_free(&b);
        if (out->err)
            return io_error(diag, "cannot write the chart", out->name, out->err);
        return ok ? TL_OK : TL_ERR_NOMEM;
    }
    if (fmt != TL_FORMAT_SVG && fmt != TL_FORMAT_PDF && fmt != TL_FORMAT_PNG) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0,
                    fmt == TL_FORMAT_AUTO ? "format: no output format given"
                                          : "format: not a tl_format value");
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

/* A NULL pointer argument: TL_ERR_USAGE, with a message naming it. */
static tl_status null_arg(tl_diag *diag, const char *fn, const char *param)
{
    tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "%s: %s is NULL", fn, param);
    return TL_ERR_USAGE;
}

/* PDF and PNG are binary: on a terminal they are noise and may be read as
 * control sequences. */
static tl_status refuse_terminal(int fd, tl_format fmt, const char *name, tl_diag *diag)
{
    if ((fmt != TL_FORMAT_PDF && fmt != TL_FORMAT_PNG) || !isatty(fd))
        return TL_OK;
    tl_diag_add(diag, TL_ERROR, name, 0, 0,
                "is a terminal — a %s is not written to one; write it to a file or a pipe",
                fmt == TL_FORMAT_PDF ? "PDF" : "PNG");
    return TL_ERR_USAGE;
}

tl_status tl_render_buffer(const tl_doc *doc, const tl_options *o, tl_format fmt,
                           unsigned char **data, size_t *len, tl_diag *diag)
{
    if (data)
        *data = NULL;
    if (len)
        *len = 0;
    if (!doc || !o || !data || !len)
        return null_arg(diag, "tl_render_buffer",
                        !doc ? "doc" : !o ? "opts" : !data ? "data" : "len");
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

/* ---- Files ---------------------------------------------------------------
 *
 * What `path` names decides how the chart gets there.  A regular file (or
 * none yet) is replaced atomically: the chart goes to a temporary file
 * beside it, renamed over it when complete; symbolic links are followed to
 * that file, so a link stays a link.  A character device or a FIFO is
 * written straight into, as cp and tee do.  The document's own file is
 * never a target, however it is spelt.  The temporary file's name is
 * published in the options' tl_temp_file, for the caller's signal
 * handler: the library installs none. */

enum { MAX_LINKS = 40, TEMP_SUFFIX = 8 }; /* ".", ".XXXXXX" */

/* The directory part of `path` with its slash ("" for none), joined to
 * `name`; NULL when out of memory. */
static char *beside(const char *path, const char *name, size_t namelen)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    char *p = malloc(dirlen + namelen + 1);
    if (p) {
        memcpy(p, path, dirlen);
        memcpy(p + dirlen, name, namelen);
        p[dirlen + namelen] = '\0';
    }
    return p;
}

/* Follows the symbolic links from `path` to the name they end at, which
 * need not exist yet.  A malloc'd path, or NULL with errno set. */
static char *final_target(const char *path)
{
    char *cur = strdup(path);
    for (int hops = 0; cur; hops++) {
        struct stat sb;
        if (lstat(cur, &sb) != 0 || !S_ISLNK(sb.st_mode))
            return cur;
        if (hops == MAX_LINKS) {
            free(cur);
            errno = ELOOP;
            return NULL;
        }
        size_t cap = (size_t)(sb.st_size > 0 ? sb.st_size : 255) + 1;
        char *link = NULL;
        ssize_t n = -1;
        for (;;) {   /* the link may change between lstat and readlink */
            char *grown = realloc(link, cap);
            if (!grown) {
                n = -1;   /* a link read whole before is not to be used */
                errno = ENOMEM;
                break;
            }
            link = grown;
            n = readlink(cur, link, cap);
            if (n < 0 || (size_t)n < cap)
                break;
            cap *= 2;
        }
        if (!link || n < 0) {
            int err = link ? errno : ENOMEM;
            free(link);
            free(cur);
            errno = err;
            return NULL;
        }
        link[n] = '\0';
        char *next = link[0] == '/' ? strdup(link) : beside(cur, link, (size_t)n);
        free(link);
        free(cur);
        cur = next;
    }
    errno = ENOMEM;
    return NULL;
}

/* Whether `target` (existing, as `sb` says) is the file doc was loaded
 * from.  A document read from standard input is named "<stdin>", which no
 * file normally is; one that is, is checked like any other name: refusing
 * a file so named is better than overwriting an input so named. */
static bool is_input(const tl_doc *doc, const struct stat *sb)
{
    struct stat in;
    return doc && doc->name && stat(doc->name, &in) == 0 && in.st_dev == sb->st_dev &&
           in.st_ino == sb->st_ino;
}

/* A file name for the temporary file beside `target`: ".NAME.XXXXXX",
 * with NAME shortened (at a character boundary) so that the whole fits
 * NAME_MAX, and the whole path PATH_MAX, even when the target's own name
 * and path do. */
static char *temp_name(const char *target, uint64_t salt)
{
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    size_t dirlen = (size_t)(base - target);
    size_t n = strlen(base), room = NAME_MAX - TEMP_SUFFIX;
    if (dirlen + TEMP_SUFFIX < PATH_MAX - 1 && PATH_MAX - 1 - dirlen - TEMP_SUFFIX < room)
        room = PATH_MAX - 1 - dirlen - TEMP_SUFFIX;
    if (n > room) {
        n = room;
        while (n && ((unsigned char)base[n] & 0xC0) == 0x80)
            n--;
    }
    char name[NAME_MAX + 1];
    static const char digits[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    int k = snprintf(name, sizeof name, ".%.*s.", (int)n, base);
    for (int i = 0; i < 6; i++, salt /= 62)
        name[k++] = digits[salt % 62];
    name[k] = '\0';
    return beside(target, name, (size_t)k);
}

/* Publishes the temporary file's name for the caller's signal handler. */
static void publish(tl_temp_file *slot, const char *tmp)
{
    if (!slot)
        return;
    size_t n = strlen(tmp);
    if (n >= sizeof slot->path)
        return;
    memcpy(slot->path, tmp, n + 1);
    atomic_signal_fence(memory_order_seq_cst);
    slot->active = 1;
}

static void unpublish(tl_temp_file *slot)
{
    if (slot)
        slot->active = 0;
}

/* Where a render writes and how it finishes. */
typedef struct target {
    char *final;     /* the file the chart becomes (links followed) */
    char *tmp;       /* the temporary file, or NULL when writing straight */
    int fd;
    bool existed;    /* a regular file is replaced */
    struct stat old;
} target;

/* Creates the temporary file beside t->final, readable as the new file
 * will be: the old file's permission bits, or the umask's (never the
 * setuid, setgid or sticky bits). */
static tl_status open_temp(target *t, const tl_options *o, const char *path, tl_diag *diag)
{
    mode_t mode = t->existed ? (t->old.st_mode & 0777) : 0666;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t salt = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)t;
    for (int tries = 0; tries < 100; tries++) {
        salt = salt * 6364136223846793005u + 1442695040888963407u;
        t->tmp = temp_name(t->final, salt >> 7);
        if (!t->tmp)
            return TL_ERR_NOMEM;
        t->fd = open(t->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, mode);
        if (t->fd >= 0)
            break;
        int err = errno;
        free(t->tmp);
        t->tmp = NULL;
        if (err != EEXIST)
            return io_error(diag, "cannot create the output file", path, err);
    }
    if (t->fd < 0)
        return io_error(diag, "cannot create the output file", path, EEXIST);
    publish(o->temp_file, t->tmp);
    return TL_OK;
}

/* Finds what `path` names and opens what the chart is written to. */
static tl_status open_target(target *t, const tl_doc *doc, const tl_options *o,
                             const char *path, tl_format fmt, tl_diag *diag)
{
    /* The kernel follows the links first: /dev/stdout ends in a pipe that
     * has no name to follow by hand. */
    if (stat(path, &t->old) != 0) {
        if (errno != ENOENT)
            return io_error(diag, "cannot write the chart", path, errno);
        /* A new file, perhaps at the end of a dangling link. */
        t->final = final_target(path);
        if (!t->final)
            return io_error(diag, "cannot write the chart", path, errno);
        return open_temp(t, o, path, diag);
    }
    if (is_input(doc, &t->old)) {
        tl_diag_add(diag, TL_ERROR, path, 0, 0,
                    "is the input file — writing the chart there would destroy it");
        return TL_ERR_USAGE;
    }
    if (S_ISDIR(t->old.st_mode))
        return io_error(diag, "cannot write the chart", path, EISDIR);
    if (S_ISREG(t->old.st_mode)) {
        /* Replaced where it is, the links to it kept. */
        struct stat sb;
        t->existed = true;
        t->final = final_target(path);
        if (!t->final)
            return io_error(diag, "cannot write the chart", path, errno);
        if (stat(t->final, &sb) != 0 || sb.st_dev != t->old.st_dev ||
            sb.st_ino != t->old.st_ino) {
            tl_diag_add(diag, TL_ERROR, path, 0, 0,
                        "cannot tell where its links end — give the file's own name");
            return TL_ERR_IO;
        }
        return open_temp(t, o, path, diag);
    }
    if (S_ISBLK(t->old.st_mode)) {
        tl_diag_add(diag, TL_ERROR, path, 0, 0,
                    "is a block device — a chart is not written onto a disk");
        return TL_ERR_USAGE;
    }
    /* A character device, FIFO or socket: straight into it (a FIFO waits
     * for its reader, as tee does).  A socket is never replaced, and, as
     * for cp and tee, cannot be opened. */
    t->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (t->fd < 0)
        return io_error(diag,
                        S_ISSOCK(t->old.st_mode) ? "is a socket: cannot write the chart into it"
                                                 : "cannot write the chart",
                        path, errno);
    return refuse_terminal(t->fd, fmt, path, diag);
}

/* Puts a complete temporary file in the target's place, or removes it;
 * closes what open_target opened. */
static tl_status close_target(target *t, const tl_options *o, const char *path, bool ok,
                              tl_diag *diag)
{
    int err = 0;
    if (t->fd >= 0 && t->tmp && ok && t->existed) {
        /* The old owner, where we may give it; the bits after, as chown
         * may clear some. */
        if ((t->old.st_uid != geteuid() || t->old.st_gid != getegid()) &&
            fchown(t->fd, t->old.st_uid, t->old.st_gid) != 0) {
            /* Not allowed: the file is ours, as any new file would be. */
        }
        if (fchmod(t->fd, t->old.st_mode & 0777) != 0)
            err = errno;
    }
    if (t->fd >= 0 && t->tmp && ok && !err && fsync(t->fd) != 0 && errno != EINVAL &&
        errno != EROFS)
        err = errno;
    if (t->fd >= 0 && close(t->fd) != 0 && ok && !err)
        err = errno;
    if (t->tmp && ok && !err && rename(t->tmp, t->final) != 0)
        err = errno;
    if (t->tmp && (!ok || err))
        unlink(t->tmp);
    if (t->tmp)
        unpublish(o->temp_file);
    free(t->tmp);
    free(t->final);
    return err ? io_error(diag, "cannot write the chart", path, err) : TL_OK;
}

/* Standard output may be the input too (`>> input.yaml`) and may be a
 * terminal. */
static tl_status check_stdout(const tl_doc *doc, tl_format fmt, tl_diag *diag)
{
    struct stat sb;
    if (fstat(STDOUT_FILENO, &sb) == 0 && is_input(doc, &sb)) {
        tl_diag_add(diag, TL_ERROR, "<stdout>", 0, 0,
                    "is the input file — writing the chart there would destroy it");
        return TL_ERR_USAGE;
    }
    return refuse_terminal(STDOUT_FILENO, fmt, "<stdout>", diag);
}

static tl_status render_file(const tl_doc *doc, tl_doc **take, const tl_options *o,
                             const char *path, tl_diag *diag)
{
    bool to_stdout = strcmp(path, "-") == 0;
    tl_format fmt = o->format != TL_FORMAT_AUTO ? o->format : tl_format_from_path(path);
    if (fmt == TL_FORMAT_AUTO) {
        tl_diag_add(diag, TL_ERROR, path, 0, 0,
                    "cannot tell the output format — use a .svg, .pdf, .png, .txt or .md "
                    "name, or set the format");
        return TL_ERR_USAGE;
    }
    target t = {.fd = to_stdout ? STDOUT_FILENO : -1};
    tl_status st = to_stdout ? check_stdout(doc, fmt, diag)
                             : open_target(&t, doc, o, path, fmt, diag);
    sink *s = NULL;
    if (st == TL_OK) {
        s = sink_new(NULL, t.fd, to_stdout ? "<stdout>" : path);
        st = s ? render_to(doc, take, o, fmt, s, diag) : TL_ERR_NOMEM;
    }
    tl_timings unused, *tm = o->timings ? o->timings : &unused;
    double mark = o->timings ? tl_now() : 0;
    if (st == TL_OK && !sink_flush(s))
        st = io_error(diag, "cannot write the chart", s->name, s->err);
    free(s);
    if (!to_stdout) {
        tl_status fin = close_target(&t, o, path, st == TL_OK, diag);
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
    if (!doc || !o || !path)
        return null_arg(diag, "tl_render_file", !doc ? "doc" : !o ? "opts" : "path");
    return render_file(doc, NULL, o, path, diag);
}

tl_status tl_render_file_consume(tl_doc *doc, const tl_options *o, const char *path,
                                 tl_diag *diag)
{
    tl_status st = !doc || !o || !path
                       ? null_arg(diag, "tl_render_file_consume",
                                  !doc ? "doc" : !o ? "opts" : "path")
                       : render_file(doc, &doc, o, path, diag);
    tl_doc_free(doc);
    return st;
}

void tl_options_set_temp_file(tl_options *o, tl_temp_file *slot)
{
    if (o)
        o->temp_file = slot;
}

void tl_temp_file_remove(tl_temp_file *slot)
{
    if (slot && slot->active)
        unlink(slot->path);
}

tl_status tl_render_stream(const tl_doc *doc, const tl_options *o, tl_format fmt,
                           tl_write_fn write, void *closure, tl_diag *diag)
{
    if (!doc || !o || !write)
        return null_arg(diag, "tl_render_stream", !doc ? "doc" : !o ? "opts" : "write");
    if (fmt == TL_FORMAT_AUTO)
        fmt = o->format;
    sink *s = sink_new(NULL, -1, "<output>");
    if (!s)
        return TL_ERR_NOMEM;
    s->write = write;
    s->closure = closure;
    tl_status st = render_to(doc, NULL, o, fmt, s, diag);
    if (st == TL_OK && !sink_flush(s))
        st = io_error(diag, "cannot write the chart", s->name, s->err);
    free(s);
    return st;
}
