/* zone.h — named time zones (Asia/Seoul) read from the system's TZif files.
 *
 * A chart shows its times at one offset from UTC.  A named zone is read
 * once, when a file names it, into the offset and abbreviation in effect
 * over the events' instants; a zone whose offset changes among them (a
 * daylight-saving switch) is refused with the date of the change, rather
 * than drawn at an offset that is wrong for part of the chart.  Nothing is
 * cached and no process state (TZ, tzset) is touched. */
#ifndef TL_ZONE_H
#define TL_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TL_ZONEINFO_DIR "/usr/share/zoneinfo"

/* The offset a named zone keeps over [from, to] (seconds since the epoch,
 * inclusive).  `dir` is the zoneinfo directory (NULL: TL_ZONEINFO_DIR).
 * On success sets *offset_min (minutes east of UTC) and abbr ("KST", or
 * "" when the file gives a numeric one such as "+09"), and returns true.
 * On failure writes a message into err: an invalid name, a zone not found,
 * a file that is not TZif, or the offset changing within the range. */
bool tl_zone_named(const char *dir, const char *name, int64_t from, int64_t to,
                   int *offset_min, char *abbr, size_t abbrlen, char *err, size_t errlen);

/* Whether s could name a zone: letters, digits, '_', '+', '-' in parts
 * separated by '/', none starting with '.', at most 64 bytes. */
bool tl_zone_name_ok(const char *s);

struct tl_doc;

/* tl_zone_named over the instants of the document's times of day (any
 * instant when it has none): the zone a chart of doc is shown in. */
bool tl_zone_for_doc(const char *name, const struct tl_doc *doc, int *offset_min, char *abbr,
                     size_t abbrlen, char *err, size_t errlen);

#endif
