/* test_threads.c — separate documents rendered from separate threads at the
 * same time give the same bytes as when rendered alone.
 *
 * timeline.h promises no global mutable state: each thread here loads its
 * own document (data/events.yaml from the file, or a small document from a
 * buffer), makes its own options and diagnostics, and renders SVG and PNG to
 * memory and onto its own image surface, several rounds over, all threads
 * starting each round together.  Every result is compared with a render
 * made before any thread started.
 *
 * Under ThreadSanitizer (the suite's own build uses ASan, which cannot be
 * combined with TSan), from the source root:
 *
 *     cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug \
 *           -DTIMELINE_TEST_SANITIZERS=OFF -DCMAKE_C_COMPILER=clang \
 *           -DCMAKE_C_FLAGS=-fsanitize=thread \
 *           -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
 *           -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread
 *     cmake --build build-tsan --target test_threads
 *     TSAN_OPTIONS=halt_on_error=1 build-tsan/tests/test_threads
 *
 * tests/install.sh does this when TIMELINE_TEST_TSAN=1 is set.  Only the
 * library is instrumented; GLib, Pango, fontconfig and Cairo are not, which
 * TSan tolerates as long as they do their own locking correctly. */
#include "timeline.h"

#include "check.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { THREADS = 4, ROUNDS = 4 };

/* Two lanes, a span, a bounded date and a citation: different enough from
 * data/events.yaml that the two documents share no layout. */
static const char small_yaml[] =
    "title: Two threads\n"
    "subtitle: A document loaded from memory\n"
    "sources:\n"
    "  - {id: s, title: The source, author: Someone, date: 2020-02}\n"
    "lanes:\n"
    "  - {id: x, label: First lane}\n"
    "  - {id: y, label: Second lane, color: \"#0072B2\"}\n"
    "events:\n"
    "  - {id: a, date: 2019-03-04, title: It begins, lane: x, importance: 3}\n"
    "  - {id: b, date: 2019-Q3, end: 2020-01, title: A long middle stretch, lane: y}\n"
    "  - id: c\n"
    "    date: {after: 2020-02, before: 2020-06-30}\n"
    "    title: Sometime that spring, the sources say\n"
    "    summary: Nobody wrote down the day, so the chart shows the whole window.\n"
    "    lane: x\n"
    "    sources: [s]\n"
    "  - {id: d, date: ~2021, title: About a year later, lane: y, importance: 1}\n";

/* What one document renders to. */
typedef struct output {
    unsigned char *svg, *png, *pixels;
    size_t svg_len, png_len, pixels_len;
    double height;
} output;

typedef struct job {
    int which;             /* 0: data/events.yaml, 1: small_yaml */
    const output *expect;  /* the single-threaded result */
    int mismatches;        /* rounds whose output differed */
    int errors;            /* rounds where a call failed */
    char first_error[256];
} job;

static char events_path[4096];
static pthread_barrier_t round_start;

static void output_free(output *out)
{
    free(out->svg);
    free(out->png);
    free(out->pixels);
    memset(out, 0, sizeof *out);
}

/* Loads document `which` and renders it every way; returns TL_OK or the
 * first failure, with its message in `err`. */
static tl_status produce(int which, output *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    tl_diag *diag = tl_diag_new();
    tl_options *opts = tl_options_new();
    tl_doc *doc = NULL;
    cairo_surface_t *surface = NULL;
    tl_status st = diag && opts ? TL_OK : TL_ERR_NOMEM;
    if (st == TL_OK)
        st = which == 0 ? tl_doc_load_file(events_path, &doc, diag)
                        : tl_doc_load_buffer("small.yaml", small_yaml, sizeof small_yaml - 1,
                                             &doc, diag);
    /* Different options per document, too. */
    if (st == TL_OK && which == 1)
        st = tl_options_set(opts, "theme", "dark", diag);
    if (st == TL_OK)
        st = tl_options_set(opts, "width", which == 0 ? "700" : "480", diag);
    if (st == TL_OK)
        st = tl_render_buffer(doc, opts, TL_FORMAT_SVG, &out->svg, &out->svg_len, diag);
    if (st == TL_OK)
        out->svg_len = svg_drop_surface_ids(out->svg, out->svg_len);
    if (st == TL_OK)
        st = tl_render_buffer(doc, opts, TL_FORMAT_PNG, &out->png, &out->png_len, diag);
    if (st == TL_OK)
        st = tl_measure(doc, opts, 400, &out->height, diag);
    if (st == TL_OK) {
        int w = 400, h = (int)out->height + 1;
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
        cairo_t *cr = cairo_create(surface);
        st = tl_render_cairo(doc, opts, cr, 0, 0, w, h, diag);
        cairo_destroy(cr);
        cairo_surface_flush(surface);
        size_t n = (size_t)cairo_image_surface_get_stride(surface) * (size_t)h;
        out->pixels = malloc(n);
        if (st == TL_OK && out->pixels) {
            memcpy(out->pixels, cairo_image_surface_get_data(surface), n);
            out->pixels_len = n;
        } else if (st == TL_OK) {
            st = TL_ERR_NOMEM;
        }
    }
    if (st != TL_OK)
        snprintf(err, err_size, "status %d: %s", (int)st,
                 tl_diag_count(diag) ? tl_diag_message(diag, 0) : "(no message)");
    if (surface)
        cairo_surface_destroy(surface);
    tl_doc_free(doc);
    tl_options_free(opts);
    tl_diag_free(diag);
    return st;
}

static int same(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
    return a && b && alen == blen && memcmp(a, b, alen) == 0;
}

static void *worker(void *arg)
{
    job *j = arg;
    for (int round = 0; round < ROUNDS; round++) {
        pthread_barrier_wait(&round_start);
        output got;
        char err[256];
        if (produce(j->which, &got, err, sizeof err) != TL_OK) {
            if (!j->errors++)
                snprintf(j->first_error, sizeof j->first_error, "%s", err);
        } else if (!same(got.svg, got.svg_len, j->expect->svg, j->expect->svg_len) ||
                   !same(got.png, got.png_len, j->expect->png, j->expect->png_len) ||
                   !same(got.pixels, got.pixels_len, j->expect->pixels,
                         j->expect->pixels_len) ||
                   got.height != j->expect->height) {
            j->mismatches++;
        }
        output_free(&got);
    }
    return NULL;
}

int main(void)
{
    const char *srcdir = getenv("SRCDIR");
    snprintf(events_path, sizeof events_path, "%s/data/events.yaml", srcdir ? srcdir : ".");

    /* The reference renders, one at a time. */
    output expect[2];
    for (int w = 0; w < 2; w++) {
        char err[256];
        tl_status st = produce(w, &expect[w], err, sizeof err);
        if (st != TL_OK)
            fprintf(stderr, "document %d: %s\n", w, err);
        CHECK_INT(st, TL_OK);
        if (st != TL_OK)
            return check_report("test_threads");
    }
    /* The two documents must really differ. */
    CHECK(!same(expect[0].svg, expect[0].svg_len, expect[1].svg, expect[1].svg_len));

    job jobs[THREADS];
    pthread_t threads[THREADS];
    int started = 0;
    CHECK_INT(pthread_barrier_init(&round_start, NULL, THREADS), 0);
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (job){.which = t % 2, .expect = &expect[t % 2]};
        int rc = pthread_create(&threads[t], NULL, worker, &jobs[t]);
        CHECK_INT(rc, 0);
        if (rc != 0)
            break;
        started++;
    }
    if (started < THREADS) {
        /* The barrier would never open: give up rather than hang. */
        fprintf(stderr, "could start only %d threads\n", started);
        return check_report("test_threads");
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    pthread_barrier_destroy(&round_start);

    for (int t = 0; t < THREADS; t++) {
        if (jobs[t].errors)
            fprintf(stderr, "thread %d: %d failed rounds, first: %s\n", t, jobs[t].errors,
                    jobs[t].first_error);
        if (jobs[t].mismatches)
            fprintf(stderr, "thread %d (document %d): %d of %d rounds differ from the "
                    "single-threaded render\n", t, jobs[t].which, jobs[t].mismatches, ROUNDS);
        CHECK_INT(jobs[t].errors, 0);
        CHECK_INT(jobs[t].mismatches, 0);
    }
    output_free(&expect[0]);
    output_free(&expect[1]);
    return check_report("test_threads");
}
