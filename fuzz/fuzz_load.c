/* fuzz_load.c — libFuzzer target for the loader: YAML bytes → document →
 * cross-checks → summary, and the diagnostics printed with their source
 * lines, so that every position the loader computes is used. */
#include "timeline.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (fp) {
        tl_diag_print(diag, fp);
        fclose(fp);
    }
    free(text);
    tl_doc_free(doc);
    tl_diag_free(diag);
    return 0;
}
