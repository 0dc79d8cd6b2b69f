/* test_arena.c — the bump allocator behind documents and charts: objects
 * aligned for any type and zeroed, strings packed end to end, blocks that
 * grow, and the limits. */
#include "arena.h"
#include "check.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int aligned(const void *p) { return (uintptr_t)p % alignof(max_align_t) == 0; }

/* Objects after strings of every length are still aligned and zeroed. */
static void test_alignment(void)
{
    tl_arena a;
    tl_arena_init(&a);
    for (size_t len = 0; len < 40; len++) {
        char text[40];
        memset(text, 'x', len);
        char *s = tl_arena_strndup(&a, text, len);
        CHECK(s != NULL);
        if (s)
            CHECK(strlen(s) == len && memcmp(s, text, len) == 0);
        unsigned char *o = tl_arena_alloc(&a, 24);
        CHECK(o != NULL && aligned(o));
        int zero = 1;
        for (size_t i = 0; o && i < 24; i++)
            zero &= o[i] == 0;
        CHECK(zero);
        if (o)
            memset(o, 0xFF, 24); /* the next string must not be in it */
    }
    tl_arena_release(&a);
}

/* Strings take their length and a NUL: the next one starts right after,
 * not at the next 16-byte boundary. */
static void test_strings_packed(void)
{
    tl_arena a;
    tl_arena_init(&a);
    char *first = tl_arena_strdup(&a, "lane");
    char *second = tl_arena_strdup(&a, "economy");
    char *third = tl_arena_printf(&a, "e%06d", 42);
    CHECK(first && second && third);
    if (first && second && third) {
        CHECK(second == first + 5);
        CHECK(third == second + 8);
        CHECK(strcmp(first, "lane") == 0 && strcmp(second, "economy") == 0 &&
              strcmp(third, "e000042") == 0);
    }
    CHECK_INT(a.used, 5 + 8 + 8);
    tl_arena_release(&a);
}

/* Many small objects and one larger than a block: all distinct, all kept
 * until release; an absurd size fails cleanly. */
static void test_blocks(void)
{
    tl_arena a;
    tl_arena_init(&a);
    enum { N = 20000 };
    int **v = malloc(N * sizeof *v);
    CHECK(v != NULL);
    for (int i = 0; v && i < N; i++) {
        v[i] = tl_arena_alloc(&a, sizeof **v);
        if (v[i])
            *v[i] = i;
    }
    char *big = tl_arena_alloc(&a, 1u << 20);
    CHECK(big != NULL && aligned(big));
    if (big)
        memset(big, 1, 1u << 20);
    int intact = 1;
    for (int i = 0; v && i < N; i++)
        intact &= v[i] && *v[i] == i;
    CHECK(intact);
    CHECK(tl_arena_alloc(&a, (size_t)1 << 31) == NULL);
    CHECK(tl_arena_array(&a, SIZE_MAX / 2, 4) == NULL);
    CHECK(tl_arena_strndup(&a, "", SIZE_MAX) == NULL);
    free(v);
    tl_arena_release(&a);
    CHECK(a.head == NULL && a.used == 0);
    /* Usable again after release. */
    CHECK(tl_arena_strdup(&a, "again") != NULL);
    tl_arena_release(&a);
}

int main(void)
{
    test_alignment();
    test_strings_packed();
    test_blocks();
    return check_report("test_arena");
}
