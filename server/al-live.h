/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <jansson.h>
#include <glib.h>

G_BEGIN_DECLS

/* Each participant's live state as the workstations report it: working,
 * on a break, asking for help... Kept in memory: after a server restart
 * everyone is "offline" until their next heartbeat, which is the truth. */
typedef struct _AlLive AlLive;

#define AL_LIVE_OFFLINE_MS (60 * 1000)
#define AL_LIVE_IDLE_MS (10 * 60 * 1000)

AlLive  *al_live_new          (void);
void     al_live_free         (AlLive     *live);
void     al_live_event        (AlLive     *live,
                               gint64      user_id,
                               const char *type,
                               gint64      at_ms,
                               json_t     *data);
void     al_live_result       (AlLive     *live,
                               gint64      user_id,
                               gint64      at_ms);
gboolean al_live_ack_help     (AlLive     *live,
                               gint64      user_id);
json_t  *al_live_describe     (AlLive     *live,
                               gint64      user_id,
                               gint64      now_ms);
void     al_live_push_notice  (AlLive     *live,
                               gint64      user_id,
                               json_t     *notice);
json_t  *al_live_take_notices (AlLive     *live,
                               gint64      user_id);
guint64  al_live_version      (AlLive     *live);

G_END_DECLS
