/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-store.h"

G_BEGIN_DECLS

/* How many days back a person's own usual figures reach. */
#define AL_SIGNALS_USUAL_DAYS 14
/* The "last minutes" in which time per task is compared. */
#define AL_SIGNALS_RECENT_MS (15 * 60 * 1000)

/* Today's block next to the same person's last two weeks, and hints in
 * words a page can phrase: {"block":{…},"usual":{…},"hints":[{kind,now,usual}]}.
 * A hint only appears when there is enough data on both sides. */
json_t *al_store_signals       (AlStore      *store,
                                const AlUser *user,
                                GError      **error);

/* Every work block of the last @days days, oldest first:
 * [{"start","date","minutes","tasks","tasks_per_hour","quality"}]. */
json_t *al_store_block_history (AlStore      *store,
                                const AlUser *user,
                                int           days,
                                GError      **error);

G_END_DECLS
