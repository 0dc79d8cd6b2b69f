/* validate.h — cross-checks of a loaded document (internal side). */
#ifndef TL_VALIDATE_H
#define TL_VALIDATE_H

#include "model.h"

/* Checks what the schema walk cannot see one node at a time: ids unique
 * among events, lanes and sources; every event's lane and every citation's
 * source declared; no span ending before it begins.  Also sets each
 * event->lane and citation->source to the index it names (-1 when it names
 * none).  Problems go to diag (may be NULL) under doc->name.  Returns TL_OK,
 * TL_ERR_DATA when a problem was found, or TL_ERR_NOMEM. */
tl_status tl_validate(tl_doc *doc, tl_diag *diag);

#endif
