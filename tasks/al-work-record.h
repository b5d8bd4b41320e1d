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

G_END_DECLS
