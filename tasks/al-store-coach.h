/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-store.h"

G_BEGIN_DECLS

/* What coaches see of their participants. */
GPtrArray *al_store_list_participants (AlStore      *store,
                                       const char   *group);
AlUser    *al_store_get_user          (AlStore      *store,
                                       gint64        user_id);
json_t    *al_store_participant_today (AlStore      *store,
                                       const AlUser *user);
json_t    *al_store_history           (AlStore      *store,
                                       const AlUser *user,
                                       GError      **error);
json_t    *al_store_quality_trend     (AlStore      *store,
                                       const AlUser *user,
                                       guint         last_n);
gboolean   al_store_delete_user_data  (AlStore      *store,
                                       const AlUser *user,
                                       const char   *actor,
                                       GError      **error);

/* Tasks taken out of the pool: {"tasks": [{"task_id", "kind", "reason",
 * "reported_at", "reported_by"}]}; the reporter's name only when they are
 * in @group. */
json_t    *al_store_list_broken       (AlStore      *store,
                                       const char   *group,
                                       GError      **error);
/* Puts a task back into the pool; logged as done by @actor. */
gboolean   al_store_restore_task      (AlStore      *store,
                                       const char   *task_id,
                                       const char   *actor,
                                       GError      **error);

G_END_DECLS
