# massif.awk — what holds timeline's heap, from a massif.out file: the first
# level of the heap tree, by what the memory holds (an arena's blocks by who
# asked for them, one level down), at the peak, at the largest snapshot
# taken once the chart is laid out (its items held, no image yet) and at
# the largest taken while drawing (the image allocated).  Used by run.sh.
#
# Usage: awk -v q="'" -f massif.awk massif.out
# Prints "PEAK_MB<TAB>LAID_OUT_MB<TAB>DRAWING_MB" (empty when no snapshot
# shows that stage), then one Markdown table row per kind:
# | what | MB | MB | MB |.
function what(fn, lib) {
    if (fn ~ /^(tl_doc_load_stream|read_all)$/) return "the input file, read whole while it is loaded"
    if (fn ~ /^(load|complete|keep_events)$/) return "the events (`tl_event`, one array)"
    if (fn ~ /^get_text/) return "the texts: titles, and ids until they are checked"
    if (fn ~ /^(walk_|parse_)/)
        return "the events" q " other parts: what only the checks read, citations, span ends"
    if (fn == "run") return "validation" q "s id tables"
    if (fn ~ /^(layout_|tl_layout_new|tl_events_sorted|index_pages|add_|header|axis)/)
        return "the chart: items, sorted events, page index"
    if (lib ~ /^libpixman/) return "the image (pixman)"
    if (lib ~ /^(libpng|libz)/) return "the PNG encoder"
    if (lib ~ /^libcairo/) return "Cairo"
    if (lib ~ /^(libpango|libharfbuzz|libfreetype|libfontconfig|libexpat|libglib|libgobject)/)
        return "fonts, shaping and their objects"
    sub(/\.so.*/, "", lib)
    return "`" fn "`" (lib == "" ? "" : " (" lib ")")
}
function add(s, w, b) {
    if (w ~ /^the chart/) chart[s] = 1
    mb[s, w] += b
    if (!(w in seen)) { seen[w] = 1; order[++nk] = w }
}
/^snapshot=/ { s = substr($0, 10); arena = 0; next }
/^mem_heap_B=/ { heap[s] = substr($0, 12); next }
/^heap_tree=peak/ { peak = s; next }
/^ n[0-9]+:/ {
    arena = 0
    if ($3 == "in") { add(s, "elsewhere, each place under 1 %", $2); next }
    fn = $4; lib = $6; sub(/\)$/, "", lib); sub(/.*\//, "", lib)
    if (lib ~ /^libpixman/) drawing[s] = 1
    if (fn ~ /^tl_arena_/) { arena = 1; next }
    add(s, what(fn, lib), $2)
    next
}
/^  n[0-9]+:/ && arena {
    if ($3 == "in") w = "elsewhere, each place under 1 %"
    else { fn = $4; lib = $6; sub(/\)$/, "", lib); sub(/.*\//, "", lib); w = what(fn, lib) }
    add(s, w, $2)
    next
}
/^ ?n[0-9]+:/ { arena = 0 }
function cell(t, w) {
    return t == "" ? "–" : (t, w) in mb ? sprintf("%.1f", mb[t, w] / 1048576) : "–"
}
function total(t) { return t == "" ? "" : sprintf("%.1f", heap[t] / 1048576) }
END {
    draw = laid = ""
    for (t in drawing) if (draw == "" || heap[t] + 0 > heap[draw] + 0) draw = t
    for (t in chart)
        if (!(t in drawing) && (laid == "" || heap[t] + 0 > heap[laid] + 0)) laid = t
    printf "%s\t%s\t%s\n", total(peak), total(laid), total(draw)
    # Largest first, by the largest of the three; "elsewhere" last.
    for (i = 1; i <= nk; i++) {
        w = order[i]
        x = (peak, w) in mb ? mb[peak, w] : 0
        y = (laid, w) in mb ? mb[laid, w] : 0
        z = (draw, w) in mb ? mb[draw, w] : 0
        key[i] = w ~ /^elsewhere/ ? -1 : x > y ? (x > z ? x : z) : (y > z ? y : z)
    }
    for (i = 1; i <= nk; i++)
        for (j = i + 1; j <= nk; j++)
            if (key[j] > key[i]) {
                t = key[i]; key[i] = key[j]; key[j] = t
                t = order[i]; order[i] = order[j]; order[j] = t
            }
    for (i = 1; i <= nk; i++) {
        w = order[i]
        a = cell(peak, w); b = cell(laid, w); c = cell(draw, w)
        if (a != "–" || b != "–" || c != "–")
            printf "| %s | %s | %s | %s |\n", w, a, b, c
    }
}
