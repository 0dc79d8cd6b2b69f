/* arena.h — bump allocator for objects that live and die together.
 *
 * A document's strings and arrays, and a chart's geometry, are freed in one
 * call.  Allocation never fails silently: NULL means out of memory. */
#ifndef TL_ARENA_H
#define TL_ARENA_H

#include <stddef.h>

typedef struct tl_arena_block tl_arena_block;

typedef struct tl_arena {
    tl_arena_block *head;
    size_t used;      /* bytes handed out, for limits and statistics */
} tl_arena;

void tl_arena_init(tl_arena *a);
/* Frees every block; the arena may be used again afterwards. */
void tl_arena_release(tl_arena *a);
/* n bytes aligned for any type, zeroed; NULL when out of memory or when n
 * is absurd (over 1 GiB). */
void *tl_arena_alloc(tl_arena *a, size_t n);
/* n elements of size sz, checking the multiplication for overflow. */
void *tl_arena_array(tl_arena *a, size_t n, size_t sz);
/* A NUL-terminated copy of s[0..len). */
char *tl_arena_strndup(tl_arena *a, const char *s, size_t len);
char *tl_arena_strdup(tl_arena *a, const char *s);
/* printf into the arena. */
char *tl_arena_printf(tl_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
