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

G_END_DECLS
