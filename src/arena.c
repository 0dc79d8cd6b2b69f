/* arena.c — see arena.h. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_MIN (64u * 1024u)
#define ARENA_MAX_ALLOC ((size_t)1 << 30)

struct tl_arena_block {
    tl_arena_block *next;
    size_t size, off;
    max_align_t data[]; /* flexible array keeps the payload aligned */
};

void tl_arena_init(tl_arena *a) { a->head = NULL; a->used = 0; }

void tl_arena_release(tl_arena *a)
{
    tl_arena_block *b = a->head;
    while (b) {
        tl_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}

/* n bytes at a multiple of align (a power of two, at most max_align_t's),
 * not zeroed. */
static void *arena_take(tl_arena *a, size_t n, size_t align)
{
    if (n > ARENA_MAX_ALLOC)
        return NULL;
    if (n == 0)
        n = 1;
    tl_arena_block *b = a->head;
    size_t off = b ? (b->off + align - 1) & ~(align - 1) : 0;
    if (!b || off > b->size || b->size - off < n) {
        size_t size = n > ARENA_BLOCK_MIN ? n : ARENA_BLOCK_MIN;
        /* Grow blocks with the arena so large documents use few blocks. */
        if (a->used / 4 > size && a->used / 4 < ARENA_MAX_ALLOC)
            size = a->used / 4;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->size = size;
        b->off = off = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + off;
    a->used += off + n - b->off;
    b->off = off + n;
    return p;
}

void *tl_arena_alloc(tl_arena *a, size_t n)
{
    void *p = arena_take(a, n, sizeof(max_align_t));
    if (p)
        memset(p, 0, n);
    return p;
}

void *tl_arena_array(tl_arena *a, size_t n, size_t sz)
{
    if (sz && n > SIZE_MAX / sz)
        return NULL;
    return tl_arena_alloc(a, n * sz);
}

char *tl_arena_strndup(tl_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    /* Text needs no alignment: packing it saves 7 bytes a string on
     * average, a megabyte every 150,000 strings. */
    char *p = arena_take(a, len + 1, 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *tl_arena_strdup(tl_arena *a, const char *s)
{
    return tl_arena_strndup(a, s, strlen(s));
}

char *tl_arena_printf(tl_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = arena_take(a, (size_t)n + 1, 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
