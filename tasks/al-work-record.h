/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-store.h"

G_BEGIN_DECLS

/* A participant's own record of their work, to take to a next job: hours,
 * tasks by kind, quality over time, skills shown. Schema in
 * docs/work-record.md. */
json_t *al_work_record_build   (AlStore      *store,
                                const AlUser *user,
                                GError      **error);
char   *al_work_record_to_html (json_t       *record);

typedef struct
{
  gint64 start, end; /* server receive times, ms */
} AlWorkSpan;

/* The stretches of work as the server saw them (docs/work-record.md);
 * counts the breaks, pauses and sessions on the way when asked. Call with
 * the store locked. */
GArray *al_work_spans          (AlStore      *store,
                                const AlUser *user,
                                int          *breaks,
                                int          *pauses,
                                int          *sessions);

G_END_DECLS
