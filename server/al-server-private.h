/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <microhttpd.h>

#include "al-live.h"
#include "al-server-parse.h"
#include "al-server.h"

G_BEGIN_DECLS

#if MHD_VERSION < 0x00097002
typedef int MHD_Result_t;
#else
typedef enum MHD_Result MHD_Result_t;
#endif

struct _AlServer
{
  struct MHD_Daemon *daemon;
  AlStore *store;
  AlLive *live;
  GMutex rate_lock;
  GHashTable *buckets;     /* user id → token bucket */
  double rate;
  gboolean tls;
  volatile gint stopping;
  GMutex log_lock;         /* libmicrohttpd's error lines, repeats counted */
  char *log_last;
  gint64 log_at;
  guint log_repeats;
  /* The connection threads never wait: a request that waits for its
   * write runs in @waiting with its connection suspended, and a live
   * stream with nothing to send is suspended until @ticker wakes it. */
  GThreadPool *waiting;
  GMutex park_lock;
  GSList *parked;          /* suspended live streams */
  GThread *ticker;
  GCond tick;
  char *instance;          /* names this server's live notices to others */
};

/* The live view, shared with the other servers on a PostgreSQL database. */
gboolean al_server_live_share  (AlServer   *server,
                                GError    **error);
void     al_server_live_event  (AlServer   *server,
                                gint64      user_id,
                                const char *type,
                                gint64      at_ms,
                                json_t     *data);
void     al_server_live_result (AlServer   *server,
                                gint64      user_id,
                                gint64      at_ms);

typedef struct
{
  AlServer *server;
  struct MHD_Connection *conn;
  const char *method;
  const char *url;
  char **params;           /* the '*' parts of the matched route */
  GByteArray *body;
  gboolean too_big;
  AlUser *user;
  gboolean cookie_auth;
  gboolean deferred;       /* handled in server->waiting: the answer is kept here */
  gboolean answered;
  unsigned int reply_status;
  char *reply_type;
  GBytes *reply_body;
} AlRequest;

typedef MHD_Result_t (*AlHandler) (AlRequest *req);

/* From a live stream's content reader with nothing to send: suspends the
 * connection until the next tick (a tenth of a second). FALSE when the
 * server is stopping: the reader ends the stream. */
gboolean     al_server_park   (AlServer              *server,
                               struct MHD_Connection *conn);
/* From the router's tick: every parked connection goes on. */
void         al_server_resume_parked (AlServer *server);

/* The route for @method and a normalized @path, or -1; @path_known tells
 * 405 from 404. @params gets the '*' segments of the route found. */
int
al_server_find_route (const char *method, const char *path, char ***params, gboolean *path_known);

/* Handlers, by file. */
MHD_Result_t al_api_lease      (AlRequest *req);
MHD_Result_t al_api_heartbeat  (AlRequest *req);
MHD_Result_t al_api_broken     (AlRequest *req);
MHD_Result_t al_api_pass       (AlRequest *req);
MHD_Result_t al_api_results    (AlRequest *req);
MHD_Result_t al_api_media      (AlRequest *req);
MHD_Result_t al_api_events     (AlRequest *req);
MHD_Result_t al_api_me         (AlRequest *req);
MHD_Result_t al_api_health     (AlRequest *req);
MHD_Result_t al_api_me_record  (AlRequest *req);

MHD_Result_t al_coach_participants (AlRequest *req);
MHD_Result_t al_coach_participant  (AlRequest *req);
MHD_Result_t al_coach_history      (AlRequest *req);
MHD_Result_t al_coach_record       (AlRequest *req);
MHD_Result_t al_coach_settings     (AlRequest *req);
MHD_Result_t al_coach_end_break    (AlRequest *req);
MHD_Result_t al_coach_ack_help     (AlRequest *req);
MHD_Result_t al_coach_delete       (AlRequest *req);
MHD_Result_t al_coach_room         (AlRequest *req);
MHD_Result_t al_coach_broken       (AlRequest *req);
MHD_Result_t al_coach_restore      (AlRequest *req);
MHD_Result_t al_coach_stream       (AlRequest *req);
MHD_Result_t al_coach_login        (AlRequest *req);
MHD_Result_t al_coach_logout       (AlRequest *req);
MHD_Result_t al_coach_static       (AlRequest *req);

json_t      *al_coach_participant_json (AlServer     *server,
                                        const AlUser *user);

G_END_DECLS
