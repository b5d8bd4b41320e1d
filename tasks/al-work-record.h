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
/* The JSON as saved: indented, figures without binary noise (0.05, not
 * 0.050000000000000003). */
char   *al_work_record_to_json (json_t       *record);
/* "1 December 2026", in the language of the messages. */
char   *al_work_record_date_in_words (const char *iso_day);
/* "30 November to 6 December 2026" for "2026-W49". */
char   *al_work_record_week_in_words (const char *iso_week);

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
