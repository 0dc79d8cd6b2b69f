/* check.h — a tiny assertion harness for the C tests.
 *
 * CHECK* macros record a failure with file and line and carry on, so one run
 * shows every broken case.  main() ends with `return check_report(name);`,
 * which prints "N passed, N failed" and returns non-zero on any failure. */
#ifndef TL_CHECK_H
#define TL_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_pass_, check_fail_;

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (cond) {                                                           \
            check_pass_++;                                                    \
        } else {                                                              \
            check_fail_++;                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,  \
                    #cond);                                                   \
        }                                                                     \
    } while (0)

#define CHECK_INT(a, b)                                                       \
    do {                                                                      \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);       \
        if (check_a_ == check_b_) {                                           \
            check_pass_++;                                                    \
        } else {                                                              \
            check_fail_++;                                                    \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n",         \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);          \
        }                                                                     \
    } while (0)

#define CHECK_STR(a, b)                                                       \
    do {                                                                      \
        const char *check_a_ = (a), *check_b_ = (b);                          \
        if (check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0) {        \
            check_pass_++;                                                    \
        } else {                                                              \
            check_fail_++;                                                    \
            fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n",     \
                    __FILE__, __LINE__, #a, #b,                               \
                    check_a_ ? check_a_ : "(null)",                           \
                    check_b_ ? check_b_ : "(null)");                          \
        }                                                                     \
    } while (0)

/* Cairo numbers every surface it creates in a process-wide sequence and
 * writes that number into the SVG as id="surfaceN": two renders in one
 * process differ there and nowhere else.  Drops the digits, in place;
 * returns the new length. */
static inline size_t svg_drop_surface_ids(unsigned char *svg, size_t len)
{
    static const char tag[] = "surface";
    size_t k = sizeof tag - 1, out = 0;
    for (size_t i = 0; i < len;) {
        if (i + k <= len && memcmp(svg + i, tag, k) == 0) {
            memmove(svg + out, svg + i, k);
            out += k;
            i += k;
            while (i < len && svg[i] >= '0' && svg[i] <= '9')
                i++;
        } else {
            svg[out++] = svg[i++];
        }
    }
    return out;
}

static inline int check_report(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, check_pass_, check_fail_);
    return check_fail_ ? 1 : 0;
}

#endif
