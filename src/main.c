/* main.c — the `timeline` command: parses arguments, calls the public API,
 * and maps results to exit codes (0 success, 1 invalid data, 2 usage or I/O).
 * It uses nothing but timeline.h. */
#include "timeline.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

enum { EXIT_DATA = 1, EXIT_USAGE = 2 };

/* The temporary file of the render in progress: a signal that ends the
 * command removes it first. */
static tl_temp_file temp_file;

static void on_fatal_signal(int sig)
{
    tl_temp_file_remove(&temp_file);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_fatal_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    /* Not only the usual three: Ctrl-\, an alarm, a CPU-time limit and the
     * user signals end the command too.  (SIGPROF stays a profiler's.) */
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGXCPU, SIGUSR1, SIGUSR2};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* A signal ignored by our parent (nohup) stays ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

static const char usage_text[] =
    "Usage: timeline render [OPTION]... INPUT -o OUTPUT\n"
    "       timeline check [--sources DIR] INPUT...\n"
    "       timeline --help | --version\n"
    "\n"
    "Turns a YAML file of dated events into a timeline chart (SVG, PDF, PNG)\n"
    "or checks the file.  INPUT may be '-' for standard input.\n"
    "\n"
    "Render options:\n"
    "  -o, --output FILE     where to write; '-' is standard output (then set\n"
    "                        --format).  Written atomically: a failed run\n"
    "                        leaves an existing file untouched\n"
    "  -f, --format FMT      svg, pdf, png, text or md (default: from the\n"
    "                        extension of FILE; .txt and .md give text)\n"
    "  -l, --layout NAME     axis (default), lanes or list\n"
    "  -W, --width LEN       chart width: 85mm, 6in, 400pt, 1600px, or a number\n"
    "                        (points for SVG/PDF, pixels for PNG)\n"
    "  -H, --height LEN      chart height (default: fits the content)\n"
    "      --page NAME       a4, a4-landscape, letter, letter-landscape,\n"
    "                        slide-16x9\n"
    "      --scale N         PNG density, times 96 px per inch (0.1..8)\n"
    "      --theme NAME      light (default), dark or print\n"
    "      --font FAMILY     font family (default: DejaVu Sans)\n"
    "      --font-size LEN   the labels' size, 4pt..72pt (default: from the width)\n"
    "      --palette LIST    lane colours: #RRGGBB,#RRGGBB,... (1 to 16)\n"
    "      --background BG   theme (default), transparent or #RRGGBB\n"
    "      --title TEXT      replace the document's title\n"
    "      --subtitle TEXT   replace the document's subtitle\n"
    "      --no-breaks       keep the time axis linear (no compressed gaps)\n"
    "      --no-citations    no reference marks and no source line\n"
    "      --svg-text MODE   SVG words as text (default) or paths (outlines)\n"
    "      --id-prefix P     start the SVG's ids with P (default: from the chart)\n"
    "      --callouts on|off in a fixed size, number the events that get no\n"
    "                        label and list them in a key (default: on)\n"
    "      --tz ZONE         show times in ZONE: UTC, an offset (+09:00) or a\n"
    "                        zone name (Asia/Seoul)\n"
    "                        (default: the file's 'timezone:', else the first\n"
    "                        timed event's zone, else UTC)\n"
    "      --lang CODE       the chart's words and date forms: en (default), fr,\n"
    "                        de, es, zh, ja or ko (default: the file's 'language:')\n"
    "      --timings         print the time each stage took on standard error\n"
    "\n"
    "Filters (render and check):\n"
    "      --from DATE       keep events that end on or after DATE\n"
    "      --to DATE         keep events that begin on or before DATE\n"
    "      --lane ID         keep events in lane ID (repeatable)\n"
    "      --tag TAG         keep events tagged TAG (repeatable)\n"
    "      --min-importance N  keep events of importance N or more (1..3)\n"
    "\n"
    "Check options:\n"
    "      --sources DIR     also verify every quote against the source\n"
    "                        documents' files in DIR\n"
    "\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n"
    "\n"
    "Exit status: 0 success, 1 invalid input data, 2 usage or I/O error.\n"
    "The file format is described in docs/format.md and timeline(1).\n";

static int usage_error(const char *fmt, const char *arg)
{
    char shown[512];
    fputs("timeline: ", stderr);
    /* arg is user text: printed quoted, as the library's messages are. */
    fprintf(stderr, fmt, tl_diag_quote(arg, strlen(arg), 0, shown, sizeof shown));
    fputs("\nTry 'timeline --help' for more information.\n", stderr);
    return EXIT_USAGE;
}

static int exit_code(tl_status st)
{
    switch (st) {
    case TL_OK: return 0;
    case TL_ERR_DATA: return EXIT_DATA;
    default: return EXIT_USAGE;
    }
}

/* Option table: name, short letter, whether it takes a value, and where it
 * goes (a tl_options name, a filter, or the command itself). */
typedef enum { TO_OPTIONS, TO_FILTER, TO_SELF } target;
typedef struct {
    const char *name;
    char short_name;
    int has_value;
    target to;
    const char *options_name; /* for TO_OPTIONS; flag value for valueless */
} optdef;

static const optdef optdefs[] = {
    {"output", 'o', 1, TO_SELF, NULL},
    {"format", 'f', 1, TO_OPTIONS, "format"},
    {"layout", 'l', 1, TO_OPTIONS, "layout"},
    {"width", 'W', 1, TO_OPTIONS, "width"},
    {"height", 'H', 1, TO_OPTIONS, "height"},
    {"page", 0, 1, TO_OPTIONS, "page"},
    {"scale", 0, 1, TO_OPTIONS, "scale"},
    {"theme", 0, 1, TO_OPTIONS, "theme"},
    {"font", 0, 1, TO_OPTIONS, "font"},
    {"font-size", 0, 1, TO_OPTIONS, "font-size"},
    {"palette", 0, 1, TO_OPTIONS, "palette"},
    {"background", 0, 1, TO_OPTIONS, "background"},
    {"title", 0, 1, TO_OPTIONS, "title"},
    {"subtitle", 0, 1, TO_OPTIONS, "subtitle"},
    {"no-breaks", 0, 0, TO_OPTIONS, "breaks"},
    {"no-citations", 0, 0, TO_OPTIONS, "citations"},
    {"tz", 0, 1, TO_OPTIONS, "tz"},
    {"lang", 0, 1, TO_OPTIONS, "lang"},
    {"citations", 0, 0, TO_OPTIONS, "citations"},
    {"svg-text", 0, 1, TO_OPTIONS, "svg-text"},
    {"id-prefix", 0, 1, TO_OPTIONS, "id-prefix"},
    {"callouts", 0, 1, TO_OPTIONS, "callouts"},
    {"from", 0, 1, TO_FILTER, NULL},
    {"to", 0, 1, TO_FILTER, NULL},
    {"lane", 0, 1, TO_FILTER, NULL},
    {"tag", 0, 1, TO_FILTER, NULL},
    {"min-importance", 0, 1, TO_FILTER, NULL},
    {"sources", 0, 1, TO_SELF, NULL},
    {"timings", 0, 0, TO_SELF, NULL},
};

typedef struct {
    int is_render;
    const char *output;
    const char *sources_dir;
    const char *from, *to;
    const char **inputs;
    int ninputs;
    tl_options *opts;
    tl_filter *filter;
    int filtered;
    int timings;
    double started;    /* when main began, for --timings */
    tl_diag *diag;
} cli;

/* Milliseconds on a clock that only goes forward. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static const optdef *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof optdefs / sizeof optdefs[0]; i++)
        if (strlen(optdefs[i].name) == len && strncmp(optdefs[i].name, name, len) == 0)
            return &optdefs[i];
    return NULL;
}

static const optdef *find_short(char c)
{
    for (size_t i = 0; i < sizeof optdefs / sizeof optdefs[0]; i++)
        if (optdefs[i].short_name == c)
            return &optdefs[i];
    return NULL;
}

/* Applies one option; returns 0 or an exit code. */
static int apply(cli *c, const optdef *o, const char *value)
{
    tl_status st = TL_OK;
    if (o->to == TO_SELF) {
        if (strcmp(o->name, "output") == 0)
            c->output = value;
        else if (strcmp(o->name, "timings") == 0)
            c->timings = 1;
        else
            c->sources_dir = value;
        return 0;
    }
    if (o->to == TO_OPTIONS) {
        if (!o->has_value)
            value = strcmp(o->name, "citations") == 0 ? "on" : "off";
        st = tl_options_set(c->opts, o->options_name, value, c->diag);
    } else if (strcmp(o->name, "from") == 0) {
        c->from = value;
    } else if (strcmp(o->name, "to") == 0) {
        c->to = value;
    } else {
        c->filtered = 1;
        if (strcmp(o->name, "lane") == 0) {
            st = tl_filter_add_lane(c->filter, value);
        } else if (strcmp(o->name, "tag") == 0) {
            st = tl_filter_add_tag(c->filter, value);
        } else {
            char *end;
            long n = strtol(value, &end, 10);
            if (*value == '\0' || *end != '\0' || n < 1 || n > 3)
                return usage_error("--min-importance takes 1, 2 or 3, not '%s'", value);
            st = tl_filter_set_min_importance(c->filter, (int)n);
        }
    }
    if (st != TL_OK) {
        tl_diag_print_flags(c->diag, stderr, "--");
        return EXIT_USAGE;
    }
    return 0;
}

static int parse_args(cli *c, int argc, char **argv)
{
    int only_operands = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (only_operands || a[0] != '-' || strcmp(a, "-") == 0) {
            c->inputs[c->ninputs++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_operands = 1;
            continue;
        }
        const optdef *o;
        const char *value = NULL;
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            o = find_long(a + 2, len);
            if (!o)
                return usage_error("unrecognized option '%s'", a);
            if (eq) {
                if (!o->has_value)
                    return usage_error("option '--%s' takes no value", o->name);
                value = eq + 1;
            }
        } else {
            o = find_short(a[1]);
            if (!o)
                return usage_error("invalid option '%s'", a);
            if (a[2])
                value = a + 2;
        }
        if (o->has_value && !value) {
            if (i + 1 >= argc)
                return usage_error("option '%s' needs a value", a);
            value = argv[++i];
        }
        if ((o->to == TO_OPTIONS || strcmp(o->name, "output") == 0 ||
             strcmp(o->name, "timings") == 0) &&
            !c->is_render)
            return usage_error("option '%s' belongs to 'timeline render'", a);
        if (strcmp(o->name, "sources") == 0 && c->is_render)
            return usage_error("option '%s' belongs to 'timeline check'", a);
        int rc = apply(c, o, value);
        if (rc)
            return rc;
    }
    return 0;
}

/* Loads, validates and filters one input.  A render, and a check's
 * summary line, read only what a chart reads: unless the quotes are to be
 * verified, the document keeps no more than that, and a large input takes
 * a fraction of the memory it would. */
static tl_status load(cli *c, const char *path, tl_doc **doc)
{
    if (!c->sources_dir)
        return tl_doc_load_for_render(path, c->opts, c->filtered ? c->filter : NULL, doc,
                                      c->diag);
    tl_status st = tl_doc_load_file(path, doc, c->diag);
    if (st != TL_OK)
        return st;
    if (c->filtered) {
        st = tl_doc_filter(*doc, c->filter, c->diag);
        if (st != TL_OK) {
            tl_doc_free(*doc);
            *doc = NULL;
        }
    }
    return st;
}

static int run_check(cli *c)
{
    if (c->ninputs == 0)
        return usage_error("%s", "check needs an input file ('-' for standard input)");
    int worst = 0;
    for (int i = 0; i < c->ninputs; i++) {
        tl_doc *doc = NULL;
        tl_status st = load(c, c->inputs[i], &doc);
        if (st == TL_OK && c->sources_dir)
            st = tl_doc_verify_quotes(doc, c->sources_dir, c->diag);
        tl_diag_print_flags(c->diag, stderr, "--");
        tl_diag_free(c->diag);
        c->diag = tl_diag_new();
        if (st == TL_OK) {
            char range[128], name[1024];
            tl_doc_range_text(doc, range, sizeof range);
            /* The name as typed may hold escapes: shown quoted, like messages. */
            const char *in = strcmp(c->inputs[i], "-") == 0 ? "<stdin>" : c->inputs[i];
            size_t ne = tl_doc_event_count(doc), nl = tl_doc_lane_count(doc),
                   ns = tl_doc_source_count(doc);
            printf("%s: %zu event%s, %zu lane%s, %zu source%s, %s%s\n",
                   tl_diag_quote(in, strlen(in), 0, name, sizeof name), ne, ne == 1 ? "" : "s", nl, nl == 1 ? "" : "s", ns,
                   ns == 1 ? "" : "s", range,
                   c->sources_dir ? ", all quotes found" : "");
        }
        int code = exit_code(st);
        if (code > worst)
            worst = code;
        tl_doc_free(doc);
    }
    /* The summary lines are the answer: one that a full disk or a closed
     * pipe lost is an I/O error, not a quiet success. */
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "timeline: error: cannot write to standard output: %s\n",
                errno ? strerror(errno) : "write error");
        return EXIT_USAGE;
    }
    return worst;
}

/* Checks the output before anything is read: never the input file (by
 * device and inode, however it is spelt), never binary to a terminal. */
static int refuse_output(cli *c)
{
    tl_format fmt = tl_options_format(c->opts);
    bool to_stdout = strcmp(c->output, "-") == 0;
    struct stat in, out;
    /* Standard input redirected from a file is that file: `render - -o F
     * <F` (or `>>F`) would replace or grow it. */
    if (strcmp(c->inputs[0], "-") == 0 && fstat(STDIN_FILENO, &in) == 0 &&
        S_ISREG(in.st_mode) &&
        (to_stdout ? fstat(STDOUT_FILENO, &out) : stat(c->output, &out)) == 0 &&
        in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
        fputs("timeline: error: the output is the input file — writing the chart there "
              "would destroy it\n", stderr);
        return EXIT_USAGE;
    }
    if (to_stdout) {
        if ((fmt == TL_FORMAT_PDF || fmt == TL_FORMAT_PNG) && isatty(STDOUT_FILENO))
            return usage_error("standard output is a terminal: not writing %s there — use "
                               "-o FILE, or a pipe",
                               fmt == TL_FORMAT_PDF ? "a PDF" : "a PNG");
        return 0;
    }
    if (strcmp(c->inputs[0], "-") != 0 && stat(c->inputs[0], &in) == 0 &&
        stat(c->output, &out) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
        fputs("timeline: error: the output is the input file — writing the chart there "
              "would destroy it\n", stderr);
        return EXIT_USAGE;
    }
    return 0;
}

static int run_render(cli *c)
{
    if (c->ninputs != 1)
        return usage_error("%s", c->ninputs ? "render takes one input file"
                                            : "render needs an input file ('-' for standard input)");
    if (!c->output)
        return usage_error("%s", "render needs an output file: -o FILE ('-' for standard output)");
    int refused = refuse_output(c);
    if (refused)
        return refused;
    if (strcmp(c->output, "-") == 0 && tl_options_format(c->opts) == TL_FORMAT_AUTO)
        return usage_error("%s", "writing to standard output needs --format (svg, pdf, png, text)");
    if (strcmp(c->output, "-") != 0 && tl_options_format(c->opts) == TL_FORMAT_AUTO &&
        tl_format_from_path(c->output) == TL_FORMAT_AUTO)
        return usage_error("cannot tell the format of '%s' — use a .svg, .pdf, .png, .txt "
                           "or .md name, or --format", c->output);
    tl_timings tm = {0};
    if (c->timings)
        tl_options_set_timings(c->opts, &tm);
    tl_options_set_temp_file(c->opts, &temp_file);
    catch_fatal_signals();
    double t0 = now_ms();
    tl_doc *doc = NULL;
    tl_status st = load(c, c->inputs[0], &doc);
    double loaded = now_ms() - t0;
    tl_diag *fresh = st == TL_OK ? tl_diag_new() : NULL;
    if (fresh) {
        /* What loading said is printed now and the diag started afresh:
         * it holds the input's text for those messages, which drawing
         * never needs — a large input is not kept while it draws. */
        tl_diag_print_flags(c->diag, stderr, "--");
        tl_diag_free(c->diag);
        c->diag = fresh;
    }
    if (st == TL_OK) {
        st = tl_render_file_consume(doc, c->opts, c->output, c->diag);
        doc = NULL;
    }
    tl_diag_print_flags(c->diag, stderr, "--");
    tl_doc_free(doc);
    if (c->timings)
        fprintf(stderr,
                "timings: load %.2f ms, fonts %.2f ms, layout %.2f ms, draw %.2f ms, "
                "output %.2f ms, total %.2f ms\n",
                loaded, tm.fonts * 1e3, tm.layout * 1e3, tm.draw * 1e3, tm.output * 1e3,
                now_ms() - c->started);
    return exit_code(st);
}

int main(int argc, char **argv)
{
    /* A reader that goes away (`| head`) is an I/O error we report, not a
     * signal that kills us silently. */
    signal(SIGPIPE, SIG_IGN);
    /* Likewise a file-size limit (ulimit -f): the write fails with EFBIG
     * and the temporary file is removed, where SIGXFSZ would leave it. */
    signal(SIGXFSZ, SIG_IGN);
#ifdef __GLIBC__
    /* Large blocks (a big file's events, a chart's items, hash tables) go
     * straight back to the system when freed.  glibc would otherwise raise
     * this threshold after the first such free, and later blocks would
     * leave holes in the heap that the process keeps. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
    if (argc < 2)
        return usage_error("%s", "missing command: render or check");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("timeline %s\n", tl_version());
        return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
    }
    int is_render = strcmp(cmd, "render") == 0;
    if (!is_render && strcmp(cmd, "check") != 0)
        return usage_error("unknown command '%s' (expected render or check)", cmd);
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }

    cli c = {0};
    c.started = now_ms();
    c.is_render = is_render;
    c.inputs = calloc((size_t)argc, sizeof *c.inputs);
    c.opts = tl_options_new();
    c.filter = tl_filter_new();
    c.diag = tl_diag_new();
    int rc;
    if (!c.inputs || !c.opts || !c.filter || !c.diag) {
        fputs("timeline: out of memory\n", stderr);
        rc = EXIT_USAGE;
        goto done;
    }
    rc = parse_args(&c, argc, argv);
    if (rc)
        goto done;
    if (c.from || c.to) {
        c.filtered = 1;
        if (tl_filter_set_range(c.filter, c.from, c.to, c.diag) != TL_OK) {
            tl_diag_print_flags(c.diag, stderr, "--");
            rc = EXIT_USAGE;
            goto done;
        }
    }
    rc = is_render ? run_render(&c) : run_check(&c);
done:
    tl_diag_free(c.diag);
    tl_filter_free(c.filter);
    tl_options_free(c.opts);
    free(c.inputs);
    return rc;
}
