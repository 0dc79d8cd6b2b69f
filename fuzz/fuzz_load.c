/* fuzz_load.c — libFuzzer target for the loader: YAML bytes → document →
 * cross-checks → summary, and the diagnostics printed with their source
 * lines, so that every position the loader computes is used.  The same
 * bytes are also loaded from a file for rendering (streamed, and lean),
 * which must say the same. */
#define _GNU_SOURCE
#include "timeline.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Loads data from a memory-backed file with tl_doc_load_for_render; it
 * must agree with the buffer's load: status, messages and positions. */
static void check_lean(const uint8_t *data, size_t size, tl_status want, const tl_diag *whole)
{
    int fd = memfd_create("fuzz", 0);
    if (fd < 0)
        return;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    tl_options *o = tl_options_new();
    tl_diag *diag = tl_diag_new();
    tl_doc *doc = NULL;
    tl_status st = tl_doc_load_for_render(path, o, NULL, &doc, diag);
    if (st != want || tl_diag_count(diag) != tl_diag_count(whole))
        abort();
    for (size_t i = 0; i < tl_diag_count(diag); i++)
        if (tl_diag_line(diag, i) != tl_diag_line(whole, i) ||
            tl_diag_col(diag, i) != tl_diag_col(whole, i) ||
            strcmp(tl_diag_message(diag, i), tl_diag_message(whole, i)) != 0)
            abort();
    tl_doc_free(doc);
    tl_diag_free(diag);
    tl_options_free(o);
    close(fd);
}

/* What is printed must be valid UTF-8 with no control character but the
 * line feeds and tabs of the layout: user text in it is quoted. */
static void check_printable(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        size_t w = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (w == 0 || i + w > n || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            abort();
        for (size_t k = 1; k < w; k++)
            if ((u[i + k] & 0xC0) != 0x80)
                abort();
        /* No C1 control: U+0080..U+009F are C2 80..C2 9F. */
        if (c == 0xC2 && u[i + 1] < 0xA0)
            abort();
        i += w;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tl_diag *diag = tl_diag_new();
    tl_doc *doc = NULL;
    tl_status st = tl_doc_load_buffer("fuzz.yaml", (const char *)data, size, &doc, diag);
    if (st == TL_OK) {
        char range[128];
        /* A loaded document must pass its own checks again. */
        if (tl_doc_validate(doc, diag) != TL_OK)
            abort();
        tl_doc_range_text(doc, range, sizeof range);
        if (tl_doc_event_count(doc) == 0)
            abort();
    } else if (doc != NULL || tl_diag_error_count(diag) == 0) {
        /* A failure always says why and never hands out a document. */
        abort();
    }
    check_lean(data, size, st, diag);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (fp) {
        tl_diag_print(diag, fp);
        fclose(fp);
        if (text)
            check_printable(text, len);
    }
    free(text);
    tl_doc_free(doc);
    tl_diag_free(diag);
    return 0;
}
