/* build_in_code.c — a timeline built in code, without writing YAML.
 *
 *     build_in_code OUTPUT.svg
 *
 * Adds a source, two lanes and a few events with the same fields and date
 * strings a YAML file takes, shows how a mistake is reported ("event 4,
 * date: ..."), gives one date as a number (a time_t), reads the events
 * back and renders the chart.  Strings are
 * copied by each add: the program's own may be temporary.
 *
 * Only the public API (timeline.h) is used.  Build against an installed
 * library with
 *
 *     cc build_in_code.c $(pkg-config --cflags --libs timeline)
 */
#include <timeline.h>

#include <stdio.h>

/* Adds one event; prints what is wrong with it, if anything. */
static int add(tl_doc *doc, const char *id, const char *date, const char *title,
               const char *lane, tl_diag *diag)
{
    tl_event_fields e = {0};
    e.id = id;
    e.date = date;
    e.title = title;
    e.lane = lane;
    e.sources = (const tl_cite_fields[]){{"report", NULL}};
    e.nsources = 1;
    return tl_doc_add_event(doc, &e, diag) == TL_OK;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT.svg\n", argv[0]);
        return 2;
    }
    tl_doc *doc = tl_doc_new();
    tl_diag *diag = tl_diag_new();
    tl_options *opts = tl_options_new();
    int rc = 1;
    if (!doc || !diag || !opts)
        goto done;

    tl_doc_set_title(doc, "A project in four steps", "Built in code", diag);
    tl_source_fields src = {0};
    src.id = "report";
    src.title = "Annual report";
    src.date = "2024-03";
    tl_doc_add_source(doc, &src, diag);
    tl_doc_add_lane(doc, "plan", "Planning", NULL, diag);
    tl_doc_add_lane(doc, "build", "Building", "#009E73", diag);
    add(doc, "proposal", "2023-01", "Proposal accepted", "plan", diag);
    add(doc, "design", "2023-Q2", "Design review", "plan", diag);
    add(doc, "pilot", "late 2023", "Pilot in two towns", "build", diag);
    /* A mistake, reported at "event 4, date", and not added. */
    add(doc, "launch", "2024-02-30", "Launch", "build", diag);
    /* A date a program holds as a number: seconds since 1970 (a time_t),
     * known to the day, taken in UTC. */
    tl_event_fields launch = {0};
    launch.id = "launch";
    launch.title = "Launch";
    launch.lane = "build";
    launch.date_time = (tl_time){1709217000, TL_TIME_DAY, 0};   /* 2024-02-29T14:30Z */
    launch.sources = (const tl_cite_fields[]){{"report", NULL}};
    launch.nsources = 1;
    tl_doc_add_event(doc, &launch, diag);
    if (tl_diag_error_count(diag) != 1)
        goto done;
    tl_diag_print(diag, stderr);

    for (size_t i = 0; i < tl_doc_event_count(doc); i++) {
        tl_event_view v;
        if (tl_doc_event(doc, i, &v) == TL_OK)
            printf("%-10s %-12s %-18s %s\n", v.id, v.date, v.date_words, v.title);
    }
    tl_options_set(opts, "width", "600pt", diag);
    rc = tl_render_file(doc, opts, argv[1], diag) == TL_OK ? 0 : 1;
done:
    if (rc)
        tl_diag_print(diag, stderr);
    tl_options_free(opts);
    tl_diag_free(diag);
    tl_doc_free(doc);
    return rc;
}
