/* floor.c — bench-floor: the least work any renderer of a timeline file
 * must do, as a yardstick for `timeline render`.
 *
 *     bench-floor INPUT -o OUTPUT [-f svg|pdf|png] [-s WIDTHxHEIGHT]
 *
 * It parses INPUT with libyaml's event parser, takes the title of each
 * event as it streams past (no document tree, no validation, no dates), and
 * for each event draws one short line and one Pango label at a position
 * computed from the event's index alone.  The surface is 960 × 600 units
 * (960 is the default width of `timeline render`) or the size -s gives, in
 * the format named by -f or by the output's extension; a PNG is opaque RGB,
 * as timeline writes an opaque chart.  Text goes through the same machinery a real
 * chart uses — a PangoLayout from pango_cairo_create_layout with a fixed
 * "DejaVu Sans 10", shaped and drawn once per event — so the time left is
 * what parsing, shaping, rasterising or serialising and writing cost.
 *
 * One layout is made and reused for every label: a renderer that made a
 * context per label would be slower for no reason.
 *
 * Exit status: 0 success, 1 the input is not YAML, 2 usage or I/O error. */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define WIDTH 960
#define HEIGHT 600
#define MAX_SIDE 32767
#define MAX_DEPTH 64
#define KEY_SIZE 16

enum { FMT_SVG, FMT_PDF, FMT_PNG };

/* One open YAML collection: whether it is a mapping, and for a mapping
 * whether the next node is a key, and the last key seen (truncated). */
typedef struct level {
    int is_map;
    int expect_key;
    char key[KEY_SIZE];
} level;

/* Everything the drawing needs, passed around as one context. */
typedef struct floor_ctx {
    cairo_t *cr;
    PangoLayout *layout;
    int width, height;
    long nevents;
} floor_ctx;

static int usage(void)
{
    fputs("usage: bench-floor INPUT -o OUTPUT [-f svg|pdf|png] [-s WIDTHxHEIGHT]\n"
          "Draws one line and one label per event of a timeline file: the floor\n"
          "for the cost of rendering it.  -s sets the surface in units (pixels in\n"
          "PNG); the default is 960x600.\n",
          stderr);
    return 2;
}

static int format_from_name(const char *s)
{
    if (strcmp(s, "svg") == 0)
        return FMT_SVG;
    if (strcmp(s, "pdf") == 0)
        return FMT_PDF;
    if (strcmp(s, "png") == 0)
        return FMT_PNG;
    return -1;
}

static int format_from_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? format_from_name(dot + 1) : -1;
}

/* "960x600": a surface size, each side 100 to MAX_SIDE. */
static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || *end != 'x')
        return 0;
    const char *t = end + 1;
    long b = strtol(t, &end, 10);
    if (end == t || *end != '\0' || a < 100 || b < 100 || a > MAX_SIDE || b > MAX_SIDE)
        return 0;
    *w = (int)a;
    *h = (int)b;
    return 1;
}

static void draw_event(floor_ctx *f, const char *title, size_t len)
{
    long i = f->nevents++;
    double x = (double)((i * 37) % f->width);
    double y = 20.0 + (double)((i * 13) % (f->height - 40));
    cairo_t *cr = f->cr;
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_move_to(cr, x + 0.5, y);
    cairo_line_to(cr, x + 0.5, y + 12.0);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    pango_layout_set_text(f->layout, title, (int)len);
    cairo_move_to(cr, x + 3.0, y);
    pango_cairo_show_layout(cr, f->layout);
}

/* Streams the YAML events of `fp` and draws every event's title.  An event
 * is a mapping in the sequence under the top-level key `events`; its title
 * is the scalar under its key `title`.  Returns 0, or 1 after printing the
 * parser's error. */
static int parse_and_draw(floor_ctx *f, FILE *fp, const char *name)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    level stack[MAX_DEPTH];
    int depth = 0, rc = 0, done = 0;

    if (!yaml_parser_initialize(&parser)) {
        fputs("bench-floor: out of memory\n", stderr);
        return 2;
    }
    yaml_parser_set_input_file(&parser, fp);
    while (!done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            fprintf(stderr, "%s:%zu:%zu: error: %s\n", name, parser.problem_mark.line + 1,
                    parser.problem_mark.column + 1,
                    parser.problem ? parser.problem : "YAML syntax error");
            rc = 1;
            break;
        }
        /* Where this node sits: a key, or a value under the parent's key. */
        int is_node = ev.type == YAML_SCALAR_EVENT || ev.type == YAML_ALIAS_EVENT ||
                      ev.type == YAML_MAPPING_START_EVENT ||
                      ev.type == YAML_SEQUENCE_START_EVENT;
        int is_key = 0;
        if (is_node && depth > 0 && stack[depth - 1].is_map) {
            is_key = stack[depth - 1].expect_key;
            stack[depth - 1].expect_key = !is_key;
        }
        switch (ev.type) {
        case YAML_NO_EVENT:
            /* libyaml 0.2.5 returns this forever after an error or the end. */
            fprintf(stderr, "%s: error: unexpected end of the YAML stream\n", name);
            rc = 1;
            done = 1;
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            if (depth == MAX_DEPTH) {
                fprintf(stderr, "%s: error: nested more than %d deep\n", name, MAX_DEPTH);
                rc = 1;
                done = 1;
                break;
            }
            stack[depth].is_map = ev.type == YAML_MAPPING_START_EVENT;
            stack[depth].expect_key = 1;
            stack[depth].key[0] = '\0';
            depth++;
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            if (depth > 0)
                depth--;
            break;
        case YAML_SCALAR_EVENT: {
            const char *value = (const char *)ev.data.scalar.value;
            size_t len = ev.data.scalar.length;
            if (is_key) {
                size_t n = len < KEY_SIZE - 1 ? len : KEY_SIZE - 1;
                memcpy(stack[depth - 1].key, value, n);
                stack[depth - 1].key[n] = '\0';
            } else if (depth == 3 && stack[0].is_map && strcmp(stack[0].key, "events") == 0 &&
                       !stack[1].is_map && stack[2].is_map &&
                       strcmp(stack[2].key, "title") == 0) {
                draw_event(f, value, len);
            }
            break;
        }
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return rc;
}

static cairo_status_t write_file(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
                                                : CAIRO_STATUS_WRITE_ERROR;
}

int main(int argc, char **argv)
{
    const char *input = NULL, *output = NULL;
    int fmt = -1, width = WIDTH, height = HEIGHT;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "-f") == 0 ||
             strcmp(argv[i], "-s") == 0) &&
            i + 1 < argc) {
            if (argv[i][1] == 'o') {
                output = argv[++i];
            } else if (argv[i][1] == 's') {
                if (!parse_size(argv[++i], &width, &height)) {
                    fprintf(stderr, "bench-floor: bad size '%s'\n", argv[i]);
                    return usage();
                }
            } else if ((fmt = format_from_name(argv[++i])) < 0) {
                fprintf(stderr, "bench-floor: unknown format '%s'\n", argv[i]);
                return usage();
            }
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage();
        } else if (!input) {
            input = argv[i];
        } else {
            return usage();
        }
    }
    if (!input || !output)
        return usage();
    if (fmt < 0 && (fmt = format_from_path(output)) < 0) {
        fprintf(stderr, "bench-floor: cannot tell the format of '%s'; use -f\n", output);
        return 2;
    }

    FILE *in = strcmp(input, "-") == 0 ? stdin : fopen(input, "rb");
    if (!in) {
        perror(input);
        return 2;
    }
    FILE *out = fopen(output, "wb");
    if (!out) {
        perror(output);
        if (in != stdin)
            fclose(in);
        return 2;
    }

    cairo_surface_t *s;
    if (fmt == FMT_SVG) {
        s = cairo_svg_surface_create_for_stream(write_file, out, width, height);
    } else if (fmt == FMT_PDF) {
        s = cairo_pdf_surface_create_for_stream(write_file, out, width, height);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
                                       "2000-01-01T00:00:00Z");
    } else {
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    }
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_line_width(cr, 1.0);

    PangoLayout *layout = pango_cairo_create_layout(cr);
    /* 72 units an inch, as timeline uses: "10" is 10 pt in SVG/PDF, 10 px in PNG. */
    pango_cairo_context_set_resolution(pango_layout_get_context(layout), 72.0);
    pango_layout_context_changed(layout);
    PangoFontDescription *font = pango_font_description_from_string("DejaVu Sans 10");
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);

    floor_ctx f = {cr, layout, width, height, 0};
    int rc = parse_and_draw(&f, in, input);

    g_object_unref(layout);
    cairo_destroy(cr);
    cairo_status_t cst = CAIRO_STATUS_SUCCESS;
    if (rc == 0 && fmt == FMT_PNG)
        cst = cairo_surface_write_to_png_stream(s, write_file, out);
    cairo_surface_finish(s);
    if (cst == CAIRO_STATUS_SUCCESS)
        cst = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (rc == 0 && cst != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "bench-floor: drawing failed: %s\n", cairo_status_to_string(cst));
        rc = 2;
    }
    if (fclose(out) != 0 && rc == 0) {
        perror(output);
        rc = 2;
    }
    if (in != stdin)
        fclose(in);
    if (rc == 0 && f.nevents == 0) {
        fprintf(stderr, "bench-floor: %s has no events\n", input);
        rc = 1;
    }
    return rc;
}
