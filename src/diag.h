/* diag.h — collecting problems with their positions (internal side). */
#ifndef TL_DIAG_H
#define TL_DIAG_H

#include "timeline.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/* At most this many errors are kept; later ones are only counted, and one
 * note says how many were left out. */
#define TL_DIAG_MAX_ERRORS 50

/* Appends an entry.  line/col are 1-based (0: no position).  `file` may be
 * NULL.  diag may be NULL (nothing is kept).  Messages follow the form
 * "what — hint".  Out of memory drops the entry but still counts it. */
void tl_diag_add(tl_diag *diag, tl_severity sev, const char *file, int line,
                 int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void tl_diag_vadd(tl_diag *diag, tl_severity sev, const char *file, int line,
                  int col, const char *fmt, va_list ap);

/* An error about an option or parameter: `key` names it ("width", or
 * "width/scale" for two), and the message reads "key: ...".
 * tl_diag_print_flags shows each key as a command-line flag instead. */
void tl_diag_option(tl_diag *diag, const char *file, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Keeps a copy of a file's text so tl_diag_print can show the offending
 * line under each message.  Only the first source of a given name is kept. */
void tl_diag_add_source(tl_diag *diag, const char *file, const char *text,
                        size_t len);
/* The same without the copy, for text the caller read into a malloc'd
 * `block`: true when diag took the block (it frees it with itself), false
 * when the caller still owns it.  text[0..len) lies inside block. */
bool tl_diag_keep_source(tl_diag *diag, const char *file, char *block, const char *text,
                         size_t len);

/* The same for a file diag reads itself, the first time tl_diag_print
 * shows one of its lines: `path` is both the file's name in messages and
 * where to read it.  At most TL_MAX_SOURCE_BYTES of it are read. */
void tl_diag_add_source_file(tl_diag *diag, const char *path);
#define TL_MAX_SOURCE_BYTES (64u * 1024u * 1024u)

/* Decodes the UTF-8 character at s[0..n): returns its length in bytes and
 * sets *cp, or returns 0 when the bytes there are not valid UTF-8 (an
 * overlong form, a surrogate, a stray or missing continuation byte). */
size_t tl_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Combining marks allowed in a row on one character, in a text field and
 * in what a message shows of one. */
#define TL_MAX_MARKS 8

/* Room for a quote of QUOTE_CHARS characters, escapes included. */
#define TL_QUOTE_CHARS 40
#define TL_QUOTE_SIZE (TL_QUOTE_CHARS * 10 + 8)

/* ---- Reading files whole (for the loader, the quote checks, and the
 * lines under messages) ---- */

/* Reads the rest of fp into a new malloc'd buffer (one spare byte at the
 * end, for a NUL).  Returns 0 and sets *data and *len, or an errno value:
 * EFBIG past `limit` bytes, EISDIR for a directory, ENOMEM, or the read's
 * own error.  A read cut short by a signal is retried. */
int tl_read_stream(FILE *fp, size_t limit, char **data, size_t *len);

/* Opens path for reading only if it is a regular file, without blocking
 * on a FIFO or a device on the way (O_NONBLOCK, then fstat); with
 * `nofollow`, a symbolic link as the last component is refused too.
 * Returns 0 and sets *fp, or an errno value: EINVAL for a file that is
 * not regular (*mode then says what it is), ELOOP for a link. */
int tl_open_regular(const char *path, bool nofollow, FILE **fp, unsigned *mode);

/* True once the error cap has been reached: callers may stop looking. */
bool tl_diag_full(const tl_diag *diag);

#endif
