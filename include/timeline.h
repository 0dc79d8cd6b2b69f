/*
 * timeline.h — the public API of libtimeline.
 *
 * libtimeline turns a YAML file of dated events into a timeline chart drawn
 * with Cairo and Pango.  The pipeline is:
 *
 *     load → validate → filter → scale → layout → render → output
 *
 * A caller loads a document (tl_doc_load_*) or builds one in code
 * (tl_doc_new, tl_doc_add_*), optionally narrows it (tl_doc_filter, or
 * tl_doc_filtered for a new one), describes the chart it wants
 * (tl_options) and renders it to a file, to memory, or onto its own
 * cairo_t, laid out for the size it is given (tl_measure says which).
 *
 * Conventions
 *   - Every type is opaque.  Every tl_*_new has a tl_*_free; freeing NULL is
 *     a no-op.
 *   - Functions that can fail return a tl_status and append human-readable
 *     problems, with file, line and column where there is one, to a tl_diag
 *     that the caller owns.  A NULL tl_diag is allowed: problems are then
 *     counted by the status alone.
 *   - No global mutable state: separate documents may be loaded and rendered
 *     from separate threads at the same time.  One object must not be used
 *     from two threads at once.
 *   - Nothing here calls exit() or prints, except tl_diag_print and
 *     tl_diag_print_flags.
 *   - Arguments are checked, never trusted: a NULL pointer where an object
 *     or a string is needed, or a value out of range, gives TL_ERR_USAGE
 *     with a message in the tl_diag (when there is one).  Functions that
 *     return no status answer with a safe value instead, documented with
 *     each: 0, NULL, "" or TL_FORMAT_AUTO.  Freeing NULL is a no-op.
 *   - Messages name a parameter or an option by its key ("width: 100pt
 *     is too small ..."), never by a command-line flag; a program with
 *     flags prints them with tl_diag_print_flags.  User text in a message
 *     is quoted: control characters and invalid UTF-8 come out escaped.
 *   - Text fields, in a file or in an option (title, subtitle, font), may
 *     not hold control characters other than tab and line feed, C1
 *     controls, noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF) or more
 *     than 8 combining marks on one character; links (`url`) must be
 *     http, https or mailto.  Either is an error at its position.
 */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cairo.h>

/* Pango's font map type, for tl_options_set_font_map, without making
 * Pango's headers a requirement of this one. */
typedef struct _PangoFontMap PangoFontMap;

#ifdef __cplusplus
extern "C" {
#endif

#define TIMELINE_VERSION_MAJOR 0
#define TIMELINE_VERSION_MINOR 1
#define TIMELINE_VERSION_PATCH 0
#define TIMELINE_VERSION_STRING "0.1.0"
/* One number that grows with every release, for #if: 0.1.0 is 100, 1.2.3
 * is 10203. */
#define TIMELINE_VERSION_NUM                                                    \
    (TIMELINE_VERSION_MAJOR * 10000 + TIMELINE_VERSION_MINOR * 100 + TIMELINE_VERSION_PATCH)

#if defined(TIMELINE_BUILDING) && defined(__GNUC__)
#define TL_API __attribute__((visibility("default")))
#else
#define TL_API
#endif

/* Result of an operation.  The CLI maps DATA to exit 1 and the rest to 2. */
typedef enum tl_status {
    TL_OK = 0,
    TL_ERR_DATA,   /* the input is not a valid timeline (see the tl_diag) */
    TL_ERR_USAGE,  /* a bad argument or option value */
    TL_ERR_IO,     /* reading or writing a file failed */
    TL_ERR_NOMEM,  /* out of memory */
    TL_ERR_FONT    /* no usable font on this machine */
} tl_status;

/* The version of the library actually linked, e.g. "0.1.0". */
TL_API const char *tl_version(void);

/* A short English description of a status, e.g. "out of memory", for
 * messages; a static string, never NULL (also for values not listed). */
TL_API const char *tl_status_string(tl_status status);

/* ---- Diagnostics ------------------------------------------------------ */

typedef struct tl_diag tl_diag;

typedef enum tl_severity { TL_ERROR, TL_WARNING, TL_NOTE } tl_severity;

/* A new, empty list of diagnostics; NULL when out of memory. */
TL_API tl_diag *tl_diag_new(void);
TL_API void tl_diag_free(tl_diag *diag);
/* Empties the list, so that one list can serve call after call; strings
 * taken from it before are then invalid.  NULL is a no-op. */
TL_API void tl_diag_clear(tl_diag *diag);
/* Number of entries, and number of them that are errors (0 for NULL). */
TL_API size_t tl_diag_count(const tl_diag *diag);
TL_API size_t tl_diag_error_count(const tl_diag *diag);
/* Entry i (0-based).  Strings stay valid until the list is freed.  line and
 * col are 1-based; 0 means the problem has no position.  For a NULL diag
 * or an i past the end: TL_NOTE, NULL file, line and col 0, message "". */
TL_API tl_severity tl_diag_severity(const tl_diag *diag, size_t i);
TL_API const char *tl_diag_file(const tl_diag *diag, size_t i);
TL_API int tl_diag_line(const tl_diag *diag, size_t i);
TL_API int tl_diag_col(const tl_diag *diag, size_t i);
TL_API const char *tl_diag_message(const tl_diag *diag, size_t i);
/* Prints every entry like a compiler, "file:line:col: error: message",
 * followed by the offending source line and a caret when it is known.
 * User text in messages and source lines is shown with control
 * characters and invalid UTF-8 escaped (\x1b, \u0085, \xff): what is
 * printed is valid UTF-8 a terminal shows as it reads. */
TL_API void tl_diag_print(const tl_diag *diag, FILE *fp);
/* The same for a program whose options are flags: a message about an
 * option reads "width: ..." in tl_diag_message and here "--width: ..."
 * when flag_prefix is "--" (NULL: as tl_diag_print). */
TL_API void tl_diag_print_flags(const tl_diag *diag, FILE *fp, const char *flag_prefix);

/* The one way user text goes into a message or onto a terminal: writes
 * s[0..len) into buf (`size` bytes, at least 16; always NUL-terminated)
 * with every character a terminal could act on shown as an escape —
 * control characters as \t, \n, \r or \xNN, C1 controls, noncharacters,
 * bidirectional controls and the line and paragraph separators as \uXXXX,
 * and each byte of invalid UTF-8 as \xNN — so the result is valid UTF-8
 * that prints as it reads.  At most `max_chars` characters of s are shown
 * (0: as many as fit), then "…".  A NULL s is empty.  Returns buf. */
TL_API const char *tl_diag_quote(const char *s, size_t len, size_t max_chars, char *buf,
                                 size_t size);

/* ---- Documents -------------------------------------------------------- */

typedef struct tl_doc tl_doc;

/* Load and validate a timeline.  On success *out is a new document owned by
 * the caller and TL_OK is returned.  On failure *out is NULL and every
 * problem found (up to a cap) is in diag.  `name` is the file name used in
 * messages.  tl_doc_load_file reads "-" as standard input. */
TL_API tl_status tl_doc_load_file(const char *path, tl_doc **out, tl_diag *diag);
TL_API tl_status tl_doc_load_buffer(const char *name, const char *data, size_t len,
                                    tl_doc **out, tl_diag *diag);
TL_API tl_status tl_doc_load_stream(const char *name, FILE *fp, tl_doc **out,
                                    tl_diag *diag);
TL_API void tl_doc_free(tl_doc *doc);

/* Runs the cross-checks again (unique ids, declared lanes and sources, end
 * not before date).  Loading already does this; a document that has passed
 * stays valid through tl_doc_filter. */
TL_API tl_status tl_doc_validate(const tl_doc *doc, tl_diag *diag);

/* Verifies that every quoted source passage occurs in the file the source
 * names, looked up in `dir`.  Matching ignores differences of white space and
 * of curly versus straight quotes.  Each quote not found is an error at the
 * quote's position.  A source file must be a regular file that resolves
 * (links followed) to a place inside `dir`, and UTF-8 text; anything else
 * is an error at the source's `file:`, and a FIFO is never waited on. */
TL_API tl_status tl_doc_verify_quotes(const tl_doc *doc, const char *dir,
                                      tl_diag *diag);

/* Facts for a one-line summary; 0 for a NULL doc. */
TL_API size_t tl_doc_event_count(const tl_doc *doc);
TL_API size_t tl_doc_lane_count(const tl_doc *doc);
TL_API size_t tl_doc_source_count(const tl_doc *doc);
/* Writes the span of the events' dates, e.g. "2001 – 2015-03-17", into buf
 * (always NUL-terminated; NULL is taken as size 0); returns the length it
 * needed. */
TL_API size_t tl_doc_range_text(const tl_doc *doc, char *buf, size_t size);

/* ---- Documents in code -----------------------------------------------
 *
 * A document can be built in code rather than loaded: the fields of the
 * YAML format (docs/format.md), given as the same strings ("2014-05",
 * "early 2015", "~1850", "2014-11/2015-01-13"), are checked by the same
 * code with the same messages.  A message's place names the item and the
 * field where a file's would give FILE:LINE:COL: tl_diag_file is
 * "event 3, date" (events, lanes and sources numbered from 1 in the order
 * they were added), and line and column are 0.
 *
 * Every add copies the strings it is given: the caller's may change or go
 * right after the call.  An add that fails changes nothing and takes no
 * number.  A lane or a source must be added before an event that names
 * it; ids are unique within events, lanes and sources, as in a file.  A
 * document loaded for rendering (tl_doc_load_for_render) takes no adds.
 * The fields structs are read only during the call; zero them first
 * (= {0}): a field left NULL or 0 is absent. */

/* A new document with no events, no title and the name "<code>"; NULL when
 * out of memory.  It renders as an empty chart until events are added. */
TL_API tl_doc *tl_doc_new(void);

/* The document's title and subtitle (NULL: none). */
TL_API tl_status tl_doc_set_title(tl_doc *doc, const char *title, const char *subtitle,
                                  tl_diag *diag);

/* The document's language, as a file's 'language:' gives it: "en", "fr",
 * "de", "es", "zh", "ja" or "ko" (NULL: none, which is English).  It is
 * the language of the chart's month names and date words (unless the
 * options' `lang` says otherwise) and of tl_doc_event's date_words.  Any
 * other code is TL_ERR_DATA at "language", the language unchanged.  A
 * loaded document takes it too. */
TL_API tl_status tl_doc_set_language(tl_doc *doc, const char *code, tl_diag *diag);

typedef struct tl_source_fields {
    const char *id, *title;       /* required */
    const char *author, *publisher, *date, *url, *file;
} tl_source_fields;

TL_API tl_status tl_doc_add_source(tl_doc *doc, const tl_source_fields *source,
                                   tl_diag *diag);

/* A lane: its id, and optionally a label (default: the id) and a colour
 * "#RRGGBB". */
TL_API tl_status tl_doc_add_lane(tl_doc *doc, const char *id, const char *label,
                                 const char *color, tl_diag *diag);

/* A citation: a source id, and optionally the passage quoted. */
typedef struct tl_cite_fields {
    const char *ref, *quote;
} tl_cite_fields;

/* An instant given as a number, for a program that keeps its times so
 * (a time_t, a database's timestamp).  Zeroed, it is not set.
 *   unix_seconds  whole seconds since 1970-01-01T00:00:00Z, leap seconds
 *                 not counted (POSIX time); before 1970 negative.  The
 *                 calendar is the proleptic Gregorian one, years -9999 to
 *                 9999 in the zone below.
 *   precision     how much of it is known: the instant is cut (not
 *                 rounded) to its day, hour, minute or second, as a file
 *                 writes 2014-11-24, T09, T09:30 or T09:30:15.
 *                 TL_TIME_UNSET (0): no time — and then the other two
 *                 must be 0 too (a precision forgotten is TL_ERR_USAGE).
 *   utc_offset_min  the zone it was observed in, in minutes east of UTC
 *                 (-720 to 840; 540 for +09:00; 0 is UTC).  It changes
 *                 the day and hour shown, never the instant: a time is
 *                 written as a file would write it, "2014-11-24T18:00+09:00"
 *                 for 1416819600 at 540, and a day is the day it falls
 *                 on in that zone.  As in a file, the first event with a
 *                 time sets the zone the chart shows times in (see
 *                 docs/format.md, "timezone").
 * The text it makes is read by the same code as a file's (tl_event_view's
 * date shows it), so a built event at an instant draws as the same event
 * written in YAML does. */
typedef enum tl_time_precision {
    TL_TIME_UNSET = 0,
    TL_TIME_DAY,
    TL_TIME_HOUR,
    TL_TIME_MINUTE,
    TL_TIME_SECOND
} tl_time_precision;

typedef struct tl_time {
    int64_t unix_seconds;
    tl_time_precision precision;
    int utc_offset_min;
} tl_time;

/* An event: `date` or `date_time` (one of the two, not both), `title` and
 * `id` are required; `end` or `end_time` (not both) makes it a span.
 * Giving both forms of one, or a precision not listed, is TL_ERR_USAGE; a
 * time out of range is TL_ERR_DATA, at the field ("event 3, date"). */
typedef struct tl_event_fields {
    const char *id, *date, *title;          /* required (date: or date_time) */
    const char *end;                        /* a span's end */
    const char *summary, *lane, *url, *note;
    int importance;                         /* 1..3; 0: the default, 2 */
    const char *const *tags;                /* ntags words */
    size_t ntags;
    const tl_cite_fields *sources;          /* nsources citations */
    size_t nsources;
    tl_time date_time, end_time;            /* date and end as numbers */
} tl_event_fields;

TL_API tl_status tl_doc_add_event(tl_doc *doc, const tl_event_fields *event,
                                  tl_diag *diag);

/* A new document with the same content as doc, owned by the caller
 * (tl_doc_free); the two are independent. */
TL_API tl_status tl_doc_copy(const tl_doc *doc, tl_doc **out, tl_diag *diag);

/* Event i (0-based, in the order of the file or of the adds) as a
 * program reads it.  Pointers are into the document: valid until it is
 * freed, filtered or added to.  NULL where a field is absent, and id and
 * note NULL in a document loaded for rendering.  TL_ERR_USAGE, the view
 * zeroed, for a NULL doc or view or an i past the end. */
typedef struct tl_event_view {
    const char *id, *title;
    const char *lane;           /* the lane's id */
    const char *summary, *url, *note;
    int importance;             /* 1..3 */
    char date[64];              /* as written, in its own precision:
                                   "2014-05", "early 2015",
                                   "2014-11/2015-01-13" */
    char end[64];               /* a span's end likewise; "" when none */
    char date_words[96];        /* as a reader sees it, in the document's
                                   language (tl_doc_set_language): "May
                                   2014", "between Nov 2014 and 13 Jan
                                   2015"; in French "mai 2014" */
    char end_words[96];
    char earliest[16];          /* the first and last day the event may */
    char latest[16];            /* cover, "2014-05-01"; "" when open */
} tl_event_view;

TL_API tl_status tl_doc_event(const tl_doc *doc, size_t i, tl_event_view *view);

/* ---- Filtering -------------------------------------------------------- */

typedef struct tl_filter tl_filter;

TL_API tl_filter *tl_filter_new(void);
TL_API void tl_filter_free(tl_filter *filter);
/* Keep events whose date interval overlaps [from, to].  Either may be NULL.
 * Dates use the same syntax as the YAML file ("2014", "2014-05", ...). */
TL_API tl_status tl_filter_set_range(tl_filter *filter, const char *from,
                                     const char *to, tl_diag *diag);
/* Keep events in any of the added lanes / with any of the added tags.
 * These three have no tl_diag: a NULL filter or string, or n outside 1..3,
 * is TL_ERR_USAGE alone. */
TL_API tl_status tl_filter_add_lane(tl_filter *filter, const char *lane_id);
TL_API tl_status tl_filter_add_tag(tl_filter *filter, const char *tag);
/* Keep events with importance >= n (1..3). */
TL_API tl_status tl_filter_set_min_importance(tl_filter *filter, int n);
/* Removes from doc every event the filter rejects.  An unknown lane id is an
 * error (TL_ERR_USAGE).  Returns TL_OK even when no event is left.  A NULL
 * filter is no filter, as for tl_doc_load_for_render: every event is
 * kept (TL_OK, doc unchanged); a NULL doc is TL_ERR_USAGE. */
TL_API tl_status tl_doc_filter(tl_doc *doc, const tl_filter *filter, tl_diag *diag);
/* The same into a new document (*out, the caller's), doc unchanged; *out
 * is NULL on failure.  With a NULL filter, *out is a copy of doc. */
TL_API tl_status tl_doc_filtered(const tl_doc *doc, const tl_filter *filter, tl_doc **out,
                                 tl_diag *diag);

/* ---- Chart options ---------------------------------------------------- */

typedef struct tl_options tl_options;

typedef enum tl_format {
    TL_FORMAT_AUTO = 0, /* from the output file's extension */
    TL_FORMAT_SVG,
    TL_FORMAT_PDF,
    TL_FORMAT_PNG,
    TL_FORMAT_TEXT      /* Markdown table: the chart's text alternative */
} tl_format;

/* Default options: axis layout, light theme, DejaVu Sans, width 960 pt (a
 * PNG is the same chart at 96 px per inch: 1280 px), height fitted to the
 * content, citations on.  With neither a width nor a height (nor a page)
 * the axis and lanes charts of up to 300 events grow wider rather than
 * taller: the smallest width from 960 pt up to 2400 pt, in 120 pt steps,
 * at which the chart is no taller than wide (when none is, 960 pt or
 * 2400 pt, whichever chart has the smaller area), unless that chart takes
 * over 1.25 times the area of the 960 pt one. */
TL_API tl_options *tl_options_new(void);
TL_API void tl_options_free(tl_options *opts);

/* Sets one option by the name of its command-line flag, without dashes:
 *   layout       axis | lanes | list
 *   width        a length: "85mm", "6in", "400pt", "1600px", or a bare number
 *   height       likewise; "auto" fits the content
 *   page         a4 | a4-landscape | letter | letter-landscape | slide-16x9
 *   scale        PNG density, times 96 px per inch, 0.1 .. 8
 *   theme        light | dark | print
 *   font         a font family name
 *   format       svg | pdf | png | text | md
 *   title, subtitle   override the document's; at most 300 and 4,000
 *                bytes, as in a file
 *   breaks       on | off (compress long empty stretches of the axis)
 *   citations    on | off (reference marks on labels and a source line)
 *   svg-text     text | paths: SVG words as <text> (default: small,
 *                searchable, editable) or as Cairo's glyph outlines (the
 *                same look without the fonts)
 *   id-prefix    what every id in an SVG starts with: a letter or '_',
 *                then letters, digits, '_', '-', '.' (at most 64); default
 *                "tl-" and a hash of the chart, so that two charts in one
 *                page do not collide
 *   callouts     on | off (in a fixed size, number the events left without
 *                a label and list them in a key under the chart)
 *   font-size    the labels' size, a length from 4pt to 72pt ("9pt", "12",
 *                "auto"); titles, dates and ticks keep their proportions.
 *                By default it follows the width (7.5pt to 12pt)
 *   palette      lane colours for the lanes without their own, in lane
 *                order and cycling: "#0072B2,#D55E00,..." (1 to 16), or
 *                "theme" for the theme's
 *   background   theme | transparent | a colour "#RRGGBB": the page's
 *                ground (SVG, PNG and a caller's cairo_t; a PDF page
 *                shows white where it is transparent)
 *   tz           the zone times of day are shown in: UTC, an offset such
 *                as +09:00, or a zone name (Asia/Seoul) read from the
 *                system's zone files at render (default: the file's, see
 *                docs/format.md)
 *   lang         en | fr | de | es | zh | ja | ko: month names and date words
 *                (default: the file's 'language:', else en)
 * Numbers are plain decimals ("0.5", "12"): no sign, exponent,
 * hexadecimal, inf or nan.  A length must be from 2in (144pt) to 200in
 * (14400pt); for PNG a chart also needs 192 px.  Returns TL_ERR_USAGE
 * with a message naming the option and what it accepts ("width: 0.5 is
 * too small — the minimum is 2in (144pt)") when the name or value is not
 * valid; the options are then unchanged. */
TL_API tl_status tl_options_set(tl_options *opts, const char *name,
                                const char *value, tl_diag *diag);
/* The format set, TL_FORMAT_AUTO when none is (or opts is NULL). */
TL_API tl_format tl_options_format(const tl_options *opts);

/* Has renders find fonts in `map` (a PangoCairoFontMap, e.g. one with the
 * report's own fonts added through fontconfig) rather than in a private
 * map of the system's fonts; the family is still the `font` option.  NULL
 * returns to the private map.  The options keep the pointer and take no
 * reference: the caller keeps ownership, and `map` must outlive every
 * render with these options.  A render reads the map and never changes
 * it (the resolution of 72 units per inch is set on its own context), but
 * Pango font maps are not thread-safe: one map serves one thread at a
 * time. */
TL_API void tl_options_set_font_map(tl_options *opts, PangoFontMap *map);

/* Wall-clock seconds a render spent in each of its stages, for finding
 * where the time goes.  Loading, validating and filtering are the caller's
 * own calls, timed by the caller. */
typedef struct tl_timings {
    double fonts;   /* fontconfig's configuration and Pango's font map */
    double layout;  /* measuring the text (loading its fonts) and placing it */
    double draw;    /* drawing the chart with cairo */
    double output;  /* serialising (SVG, PDF) or encoding (PNG), and writing */
} tl_timings;

/* Has tl_render_file and tl_render_buffer fill *out (NULL: stop).  The
 * options keep the pointer, not a copy: *out must outlive the renders. */
TL_API void tl_options_set_timings(tl_options *opts, tl_timings *out);

/* Format implied by a path's extension, or TL_FORMAT_AUTO if unknown or
 * NULL. */
TL_API tl_format tl_format_from_path(const char *path);

/* ---- Rendering --------------------------------------------------------
 *
 * Every render function checks its pointer arguments: a NULL doc, opts,
 * path, cr or result pointer is TL_ERR_USAGE with a message naming the
 * parameter, and nothing is written.  Results (*data, *len, *height) are
 * cleared first, whenever their pointers are not NULL. */

/* Renders to `path`.  The format comes from the options, else from the
 * extension.  What `path` names decides how:
 *   - a regular file, or none yet: written atomically — the chart goes to a
 *     temporary file in the same directory (".NAME.XXXXXX", the name
 *     shortened to fit NAME_MAX and PATH_MAX) and is renamed over `path`
 *     only when complete, so a failed run leaves an existing file
 *     untouched.  A new file's permissions come from the umask, a
 *     replaced file keeps its permission bits (never setuid, setgid or
 *     sticky) and, where allowed, its owner;
 *   - a symbolic link: followed to the file it ends at, which is written as
 *     above (the temporary file beside it): the link stays a link;
 *   - a character device or a FIFO: written straight into, as cp and tee
 *     do (a FIFO waits for its reader); a block device or a directory is
 *     refused;
 *   - "-": standard output (the format must then be set).
 * The file the document was loaded from is never written, however it is
 * spelt (same device and inode): TL_ERR_USAGE.  Nor is a PDF or PNG written
 * to a terminal: TL_ERR_USAGE, with a hint to use a file or a pipe.
 * The library installs no signal handlers: see tl_options_set_temp_file. */
TL_API tl_status tl_render_file(const tl_doc *doc, const tl_options *opts,
                                const char *path, tl_diag *diag);

/* The same, and frees doc (the caller must not use it again, whatever the
 * result): for PNG and PDF as soon as the chart is laid out, so that a
 * large document and the drawing are not in memory together. */
TL_API tl_status tl_render_file_consume(tl_doc *doc, const tl_options *opts,
                                        const char *path, tl_diag *diag);

/* The temporary file of a render in progress, published so that a caller's
 * signal handler can remove it before the process dies.  `active` is 1
 * while `path` names a file the render created; the render sets it back to
 * 0 once the file is renamed or removed. */
typedef struct tl_temp_file {
    volatile sig_atomic_t active;
    char path[4096];
} tl_temp_file;

/* Has tl_render_file and tl_render_file_consume publish their temporary
 * file in *slot (NULL: stop).  The options keep the pointer: *slot must
 * outlive the renders, and serve one render at a time. */
TL_API void tl_options_set_temp_file(tl_options *opts, tl_temp_file *slot);

/* Removes slot's temporary file if a render is writing it.  Async-signal-
 * safe: meant for a SIGINT, SIGTERM or SIGHUP handler, which then lets the
 * signal end the process. */
TL_API void tl_temp_file_remove(tl_temp_file *slot);

/* Loads path as tl_doc_load_file does, with every check, then filters it
 * with `filter` (may be NULL) and keeps only what a render with `opts`
 * reads: no event ids, tags, notes or quotes, and summaries only for the
 * list layout.  A large file then takes far less memory.  The document can
 * be rendered in the layout opts names, counted, and filtered by date, lane
 * or importance; filtering it by tag and tl_doc_verify_quotes refuse it
 * (TL_ERR_USAGE). */
TL_API tl_status tl_doc_load_for_render(const char *path, const tl_options *opts,
                                        const tl_filter *filter, tl_doc **out,
                                        tl_diag *diag);

/* Renders into a new malloc'd buffer; the caller frees *data with free(). */
TL_API tl_status tl_render_buffer(const tl_doc *doc, const tl_options *opts,
                                  tl_format format, unsigned char **data,
                                  size_t *len, tl_diag *diag);

/* Receives the chart's bytes in order, in pieces of up to 64 KiB; returns
 * 0 when it took all `len` of them, anything else to stop the render. */
typedef int (*tl_write_fn)(void *closure, const unsigned char *data, size_t len);

/* Renders through `write` (a socket, a compressor, a growing string of the
 * caller's), which gets `closure` with every call.  `format` TL_FORMAT_AUTO
 * takes the options' format, and there must be one.  When `write` stops
 * it, TL_ERR_IO is returned, nothing more is written, and what was written
 * is an incomplete chart the caller should discard. */
TL_API tl_status tl_render_stream(const tl_doc *doc, const tl_options *opts,
                                  tl_format format, tl_write_fn write,
                                  void *closure, tl_diag *diag);

/* What a chart laid out for a box shows of the document. */
typedef struct tl_render_info {
    double width, height;   /* the chart as laid out, in points */
    size_t events;          /* events in the document */
    size_t labelled;        /* drawn with their label */
    size_t unlabelled;      /* drawn as markers only (no room) */
    size_t callouts;        /* of those, numbered in a key under the chart */
    size_t cut;             /* events the box cuts off entirely */
    int pages;              /* pages the layout needs (the list layout
                               flows over pages of the box) */
} tl_render_info;

/* Lays the chart out for a box `width` × `height` points and draws it onto
 * the caller's cairo_t with its top-left corner at (x, y), in the cairo_t's
 * user units taken as points.  The box stands in for the options' width
 * and height (and page): the chart is laid out exactly as a render to a
 * file with `width` and `height` set to those points would be — the same
 * font sizes, labels dropped where there is no room and numbered callouts
 * for them — and never scaled.  What does not fit is clipped at the box,
 * with a warning in diag.  *info (may be NULL) is filled on success and
 * zeroed on failure.  The cairo_t's state is restored on return.
 * Options that concern files (format, scale) do not apply. */
TL_API tl_status tl_render_cairo(const tl_doc *doc, const tl_options *opts,
                                 cairo_t *cr, double x, double y, double width,
                                 double height, tl_diag *diag);
TL_API tl_status tl_render_cairo_info(const tl_doc *doc, const tl_options *opts,
                                      cairo_t *cr, double x, double y, double width,
                                      double height, tl_render_info *info,
                                      tl_diag *diag);
/* A chart that needs several pages of the box (info->pages; the list
 * layout flows over pages) draws only its first with the two above, and
 * warns.  This draws page `page` (0-based) of it, with no warning: call
 * it for each page, with the same box, on a fresh page of your own.  A
 * page the chart does not have is TL_ERR_USAGE. */
TL_API tl_status tl_render_cairo_page(const tl_doc *doc, const tl_options *opts,
                                      cairo_t *cr, double x, double y, double width,
                                      double height, int page, tl_render_info *info,
                                      tl_diag *diag);

/* The height (in points) the chart needs when laid out `width` points wide
 * with no fixed height: the least box height tl_render_cairo draws it in
 * whole, every label that fits the width kept. */
TL_API tl_status tl_measure(const tl_doc *doc, const tl_options *opts,
                            double width, double *height, tl_diag *diag);

/* The chart's natural size in points: the options' width (when none is
 * set, 960pt grown as tl_options_new tells; a page's width for `page`) and
 * the height it then needs (the options' height when one is set).  Either
 * pointer may be NULL. */
TL_API tl_status tl_measure_natural(const tl_doc *doc, const tl_options *opts,
                                    double *width, double *height, tl_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* TIMELINE_H */
