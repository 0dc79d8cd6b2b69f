/* options.h — chart options as parsed, and their resolution into layout
 * parameters once the output format is known. */
#ifndef TL_OPTIONS_H
#define TL_OPTIONS_H

#include "layout.h"
#include "timeline.h"

#include <stdbool.h>
#include <stdint.h>

/* Limits on the output, checked before anything is allocated. */
#define TL_MAX_PAGE_PT 14400.0      /* PDF's largest page side: 200 in */
#define TL_MIN_PAGE_PT 144.0        /* 2 in: less cannot hold a chart */
#define TL_MAX_PNG_SIDE 32767.0     /* Cairo image surfaces */
#define TL_MAX_PNG_PIXELS 100000000.0 /* 100 Mpx: about 400 MB of RGBA */
#define TL_MAX_PDF_PAGES 10000
#define TL_MAX_PALETTE 16           /* colours in a custom palette */

enum { TL_BG_THEME, TL_BG_TRANSPARENT, TL_BG_COLOR };

/* A PNG is the chart, laid out in points, rasterized at 96 px per inch
 * times --scale. */
#define TL_PX_PER_PT (96.0 / 72.0)

typedef enum { TL_UNIT_BARE, TL_UNIT_PT, TL_UNIT_PX, TL_UNIT_MM, TL_UNIT_IN } tl_unit;

typedef struct tl_length {
    double value;      /* 0: not set */
    tl_unit unit;
} tl_length;

struct tl_options {
    tl_layout_kind layout;
    tl_theme_kind theme;
    tl_format format;
    tl_length width, height;
    double scale;
    char *font;
    char *title, *subtitle;
    bool breaks, citations, callouts;
    bool svg_paths;        /* SVG text as Cairo's glyph outlines */
    char *id_prefix;       /* SVG ids' prefix; NULL: from the chart */
    tl_length font_size;   /* value 0: from the width */
    uint32_t palette[TL_MAX_PALETTE];  /* 0xRRGGBB */
    size_t npalette;       /* 0: the theme's */
    int background;        /* TL_BG_* */
    uint32_t background_rgb;
    PangoFontMap *font_map;  /* the caller's, or NULL; not owned */
    tl_timings *timings;   /* filled by renders when set; not owned */
    tl_temp_file *temp_file; /* names a render's temporary file; not owned */
};

/* Converts a length into the output's units: points for SVG and PDF,
 * pixels for PNG (a bare number is already in those units). */
double tl_length_units(tl_length len, tl_format fmt);

/* Fills layout parameters for a format; checks the output size limits and
 * reports a violation as TL_ERR_USAGE naming the option. */
tl_status tl_options_resolve(const tl_options *o, tl_format fmt, tl_layout_params *p,
                             tl_diag *diag);

#endif
