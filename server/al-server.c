/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-server"

#include "config.h"

#include <arpa/inet.h>
#include <gio/gio.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "al-server-private.h"
#include "al-server-reply.h"
#include "al-server-dashboard.h"

typedef enum
{
  ROLE_ANY,
  ROLE_PARTICIPANT,
  ROLE_COACH,
  ROLE_NONE,    /* no token needed */
} Role;

typedef struct
{
  const char *method;
  const char *pattern;   /* '*' matches one path segment */
  Role role;
  AlHandler handler;
  gboolean waits;        /* waits for the store's writer; answers with al_respond_text */
} Route;

static const Route routes[] = {
  { "POST", "/api/v1/lease", ROLE_PARTICIPANT, al_api_lease, TRUE },
  { "POST", "/api/v1/leases/*/heartbeat", ROLE_PARTICIPANT, al_api_heartbeat, TRUE },
  { "POST", "/api/v1/leases/*/broken", ROLE_PARTICIPANT, al_api_broken, TRUE },
  { "POST", "/api/v1/leases/*/pass", ROLE_PARTICIPANT, al_api_pass, TRUE },
  { "POST", "/api/v1/results", ROLE_PARTICIPANT, al_api_results, TRUE },
  { "GET", "/api/v1/media/*", ROLE_ANY, al_api_media },
  { "HEAD", "/api/v1/media/*", ROLE_ANY, al_api_media },
  { "POST", "/api/v1/events", ROLE_PARTICIPANT, al_api_events, TRUE },
  { "GET", "/api/v1/me", ROLE_ANY, al_api_me },
  { "GET", "/api/v1/health", ROLE_NONE, al_api_health },
  { "GET", "/api/v1/me/record", ROLE_PARTICIPANT, al_api_me_record },
  { "GET", "/api/v1/participants", ROLE_COACH, al_coach_participants },
  { "GET", "/api/v1/participants/*", ROLE_COACH, al_coach_participant },
  { "DELETE", "/api/v1/participants/*", ROLE_COACH, al_coach_delete },
  { "GET", "/api/v1/participants/*/history", ROLE_COACH, al_coach_history },
  { "GET", "/api/v1/participants/*/record", ROLE_COACH, al_coach_record },
  { "GET", "/api/v1/participants/*/signals", ROLE_COACH, al_coach_participant_signals },
  { "GET", "/api/v1/signals", ROLE_COACH, al_coach_signals },
  { "PUT", "/api/v1/participants/*/settings", ROLE_COACH, al_coach_settings },
  { "POST", "/api/v1/participants/*/end-break", ROLE_COACH, al_coach_end_break },
  { "POST", "/api/v1/participants/*/help/ack", ROLE_COACH, al_coach_ack_help },
  { "PUT", "/api/v1/room", ROLE_COACH, al_coach_room },
  { "GET", "/api/v1/room", ROLE_COACH, al_coach_room_get },
  { "GET", "/api/v1/tasks/broken", ROLE_COACH, al_coach_broken },
  { "POST", "/api/v1/tasks/*/restore", ROLE_COACH, al_coach_restore },
  { "GET", "/api/v1/stream", ROLE_COACH, al_coach_stream },
  { "POST", "/coach/login", ROLE_NONE, al_coach_login },
  { "POST", "/coach/logout", ROLE_NONE, al_coach_logout },
  { "GET", "/coach", ROLE_NONE, al_coach_static },
  { "GET", "/coach/*", ROLE_NONE, al_coach_static },
};

int
al_server_find_route (const char *method, const char *path, char ***params, gboolean *path_known)
{
  *path_known = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      char **found = NULL;
      if (!al_path_match (routes[i].pattern, path, &found))
        continue;
      *path_known = TRUE;
      if (!g_str_equal (routes[i].method, method))
        {
          g_strfreev (found);
          continue;
        }
      *params = found;
      return (int)i;
    }
  return -1;
}

static const char *
bearer_token (AlRequest *req)
{
  const char *auth = MHD_lookup_connection_value (req->conn, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_AUTHORIZATION);
  const char *token = al_parse_bearer (auth);
  const char *cookie;

  if (token)
    return token;
  cookie = MHD_lookup_connection_value (req->conn, MHD_COOKIE_KIND, "annolab_token");
  if (cookie)
    req->cookie_auth = TRUE;
  return cookie;
}

/* A token bucket per user: generous for people, a wall for scripts. */
static gboolean
rate_ok (AlServer *server,
         gint64    user_id)
{
  typedef struct
  {
    double tokens;
    gint64 at;
  } Bucket;
  double burst = server->rate * 2;
  gint64 now = g_get_monotonic_time ();
  Bucket *b;
  gboolean ok;

  g_mutex_lock (&server->rate_lock);
  b = g_hash_table_lookup (server->buckets, &user_id);
  if (b == NULL)
    {
      b = g_new0 (Bucket, 1);
      b->tokens = burst;
      b->at = now;
      g_hash_table_insert (server->buckets, g_memdup2 (&user_id, sizeof user_id), b);
    }
  b->tokens = MIN (burst, b->tokens + (now - b->at) / 1e6 * server->rate);
  b->at = now;
  ok = b->tokens >= 1;
  if (ok)
    b->tokens -= 1;
  g_mutex_unlock (&server->rate_lock);
  return ok;
}

/* Why a change sent with the dashboard cookie may not come from the
 * dashboard itself, or NULL. Browsers set Sec-Fetch-Site and Origin
 * themselves; no page can forge them. */
static char *
cross_site_problem (AlRequest *req)
{
  const char *site = MHD_lookup_connection_value (req->conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
  const char *origin = MHD_lookup_connection_value (req->conn, MHD_HEADER_KIND, "Origin");
  const char *host = MHD_lookup_connection_value (req->conn, MHD_HEADER_KIND, "Host");
  const char *origin_host = origin ? strstr (origin, "://") : NULL;

  /* Decisive where present: a proxy in front may have changed Host. */
  if (site)
    return g_str_equal (site, "same-origin")
               ? NULL
               : g_strdup_printf ("Changes with the dashboard cookie come from the dashboard's "
                                  "own pages only, not from a %s page", site);
  if (origin == NULL)
    return g_strdup ("A change with the dashboard cookie needs the Origin header a browser sends");
  if (origin_host == NULL || host == NULL || g_ascii_strcasecmp (origin_host + 3, host) != 0)
    return g_strdup ("Changes with the dashboard cookie come from the dashboard's own pages "
                     "only, not from another origin");
  return NULL;
}

static gboolean
route_waits (AlRequest *req)
{
  g_autofree char *path = al_path_normalize (req->url);
  g_auto (GStrv) params = NULL;
  gboolean known;
  int i;

  if (path == NULL || (i = al_server_find_route (req->method, path, &params, &known)) < 0)
    return FALSE;
  return routes[i].waits;
}

static MHD_Result_t
dispatch (AlRequest *req)
{
  gboolean path_known = FALSE;
  g_autofree char *path = al_path_normalize (req->url);
  const Route *route;
  const char *token;
  int i;

  if (path == NULL)
    return al_respond_error (req, 400, "bad_path", "That path is not allowed");
  i = al_server_find_route (req->method, path, &req->params, &path_known);
  if (i < 0 && path_known)
    return al_respond_error (req, 405, "method_not_allowed", "%s is not allowed here",
                             req->method);
  if (i < 0)
    return al_respond_error (req, 404, "not_found", "There is nothing at %s", req->url);
  route = &routes[i];
  if (route->role == ROLE_NONE)
    return route->handler (req);

  token = bearer_token (req);
  if (token == NULL)
    return al_respond_error (req, 401, "unauthorized",
                             "Send your token as Authorization: Bearer TOKEN");
  {
    g_autoptr (GError) error = NULL;

    /* A database that cannot be asked is not a wrong token: the
     * workstation keeps its token and tries again. */
    req->user = al_store_user_by_token (req->server->store, token, &error);
    if (error)
      return al_respond_store_error (req, error);
  }
  if (req->user == NULL)
    return al_respond_error (req, 401, "unauthorized", "That token is not valid");
  /* Only the two roles the API knows get in: a role from an older
   * database, or one written by hand, is not taken for a coach. */
  if (!g_str_equal (req->user->role, "participant") && !g_str_equal (req->user->role, "coach"))
    return al_respond_error (req, 403, "forbidden", "This token's role has no access to the lab");
  /* The dashboard's cookie is for coaches only. */
  if (req->cookie_auth && !g_str_equal (req->user->role, "coach"))
    return al_respond_error (req, 401, "unauthorized", "Participants use their token");
  if (!rate_ok (req->server, req->user->id))
    return al_respond_error (req, 429, "too_many_requests", "Too many requests; slow down");
  if (route->role == ROLE_PARTICIPANT && !g_str_equal (req->user->role, "participant"))
    return al_respond_error (req, 403, "forbidden", "This is for participants only");
  if (route->role == ROLE_COACH && !g_str_equal (req->user->role, "coach"))
    return al_respond_error (req, 403, "forbidden", "This is for coaches only");
  if (req->cookie_auth && !g_str_equal (req->method, "GET") && !g_str_equal (req->method, "HEAD"))
    {
      g_autofree char *problem = cross_site_problem (req);
      g_autoptr (json_t) body = NULL;
      MHD_Result_t ret;

      if (problem)
        return al_respond_error (req, 403, "cross_site", "%s", problem);
      /* A JSON body from another site needs a CORS preflight, which this
       * server never grants: no form or link elsewhere can send one. */
      if ((body = al_request_json (req, &ret)) == NULL)
        return ret;
    }
  return route->handler (req);
}

static MHD_Result_t
on_request (void                  *cls,
            struct MHD_Connection *conn,
            const char            *url,
            const char            *method,
            const char            *version,
            const char            *upload_data,
            size_t                *upload_data_size,
            void                 **con_cls)
{
  AlServer *server = cls;
  AlRequest *req = *con_cls;

  if (req && req->deferred)
    {
      gsize length = 0;
      const char *text = NULL;

      /* Back from server->waiting, resumed. */
      req->deferred = FALSE;
      if (!req->answered)
        return al_respond_error (req, 500, "internal", "The request was not answered");
      text = g_bytes_get_data (req->reply_body, &length);
      return al_respond_text (req, req->reply_status, req->reply_type, text ? text : "", length);
    }
  if (req == NULL)
    {
      const char *length = MHD_lookup_connection_value (conn, MHD_HEADER_KIND,
                                                        MHD_HTTP_HEADER_CONTENT_LENGTH);
      req = g_new0 (AlRequest, 1);
      req->server = server;
      req->conn = conn;
      req->method = method;
      req->url = url;
      *con_cls = req;
      /* Refuse an announced oversized body before reading any of it. */
      if (length && g_ascii_strtoull (length, NULL, 10) > AL_SERVER_MAX_BODY)
        {
          req->too_big = TRUE;
          return al_respond_error (req, 413, "too_large", "The body is larger than %d bytes",
                                   AL_SERVER_MAX_BODY);
        }
      return MHD_YES;
    }

  if (*upload_data_size > 0)
    {
      if (!req->too_big)
        {
          if (req->body == NULL)
            req->body = g_byte_array_new ();
          if (req->body->len + *upload_data_size > AL_SERVER_MAX_BODY)
            req->too_big = TRUE;
          else
            g_byte_array_append (req->body, (const guint8 *) upload_data, *upload_data_size);
        }
      *upload_data_size = 0;
      return MHD_YES;
    }

  if (req->too_big)
    return al_respond_error (req, 413, "too_large", "The body is larger than %d bytes",
                             AL_SERVER_MAX_BODY);
  if (route_waits (req))
    {
      gboolean pushed = FALSE;

      g_mutex_lock (&server->park_lock);
      if (!g_atomic_int_get (&server->stopping))
        {
          req->deferred = TRUE;
          MHD_suspend_connection (conn);
          g_thread_pool_push (server->waiting, req, NULL);
          pushed = TRUE;
        }
      g_mutex_unlock (&server->park_lock);
      if (!pushed)
        return al_respond_error (req, 503, "stopping", "The server is stopping; try again");
      return MHD_YES;
    }
  return dispatch (req);
}

/* In server->waiting: the request is handled, its answer kept, and its
 * connection resumed; after that it belongs to the connection thread. */
static void
run_waiting (gpointer data,
             gpointer user_data)
{
  AlRequest *req = data;

  dispatch (req);
  MHD_resume_connection (req->conn);
}

static gpointer
tick_main (gpointer data)
{
  AlServer *server = data;

  g_mutex_lock (&server->park_lock);
  while (!g_atomic_int_get (&server->stopping))
    {
      g_cond_wait_until (&server->tick, &server->park_lock,
                         g_get_monotonic_time () + G_USEC_PER_SEC / 10);
      g_mutex_unlock (&server->park_lock);
      al_server_resume_parked (server);
      g_mutex_lock (&server->park_lock);
    }
  g_mutex_unlock (&server->park_lock);
  al_server_resume_parked (server);
  return NULL;
}

static void
on_completed (void                            *cls,
              struct MHD_Connection           *conn,
              void                           **con_cls,
              enum MHD_RequestTerminationCode  toe)
{
  AlRequest *req = *con_cls;

  if (req == NULL)
    return;
  if (req->body)
    g_byte_array_unref (req->body);
  g_strfreev (req->params);
  al_user_free (req->user);
  g_free (req->reply_type);
  g_clear_pointer (&req->reply_body, g_bytes_unref);
  g_free (req);
  *con_cls = NULL;
}

/* A %00 in a path would cut the C string short after decoding; such a
 * path is kept undecoded so it matches nothing. */
static size_t
unescape (void                  *cls,
          struct MHD_Connection *conn,
          char                  *uri)
{
  if (strstr (uri, "%00"))
    return strlen (uri);
  return MHD_http_unescape (uri);
}

/* A flood of refused connections would write one line each: the same
 * line again within ten seconds is only counted. */
static void log_error (void *cls, const char *format, va_list args) G_GNUC_PRINTF (2, 0);

static void
log_error (void       *cls,
           const char *format,
           va_list     args)
{
  AlServer *server = cls;
  g_autofree char *line = g_strdup_vprintf (format, args);
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&server->log_lock);
  if (g_strcmp0 (line, server->log_last) == 0 && now - server->log_at < 10 * G_USEC_PER_SEC)
    server->log_repeats++;
  else
    {
      if (server->log_repeats)
        fprintf (stderr, "annolab-queue: the line above %u more times\n", server->log_repeats);
      fprintf (stderr, "annolab-queue: %s%s", line, g_str_has_suffix (line, "\n") ? "" : "\n");
      g_free (server->log_last);
      server->log_last = g_steal_pointer (&line);
      server->log_at = now;
      server->log_repeats = 0;
    }
  g_mutex_unlock (&server->log_lock);
}

AlServer *
al_server_start (AlStore               *store,
                 const AlServerOptions *options,
                 GError               **error)
{
  AlServer *server;
  struct sockaddr_in addr = { 0 };
  /* A few threads on epoll, not one per connection: a thousand idle
   * connections cost no thread. */
  unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                       MHD_USE_ERROR_LOG;
  unsigned int threads = options->threads ? options->threads : MAX (1, g_get_num_processors ());

  if (inet_pton (AF_INET, options->host, &addr.sin_addr) != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot listen on \"%s\": give an IPv4 address such as 127.0.0.1 or 0.0.0.0",
                   options->host);
      return NULL;
    }
  addr.sin_family = AF_INET;
  addr.sin_port = htons (options->port);
  /* A request that writes is answered once its write is on disk, and
   * all that wait at once share one transaction and one fsync. */
  if (!al_store_start_writer (store, error))
    return NULL;

  server = g_new0 (AlServer, 1);
  server->store = al_store_ref (store);
  server->live = al_live_new ();
  server->rate = options->rate_per_second > 0 ? options->rate_per_second : 200;
  server->buckets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_mutex_init (&server->rate_lock);
  g_mutex_init (&server->log_lock);
  g_mutex_init (&server->park_lock);
  g_cond_init (&server->tick);
  server->waiting = g_thread_pool_new (run_waiting, server, AL_SERVER_MAX_WAITING, FALSE, NULL);
  /* Keep the waiting threads: by default all but two end as soon as they
   * are idle, and a thread made and ended per request costs more than the
   * request. */
  g_thread_pool_set_max_unused_threads (AL_SERVER_MAX_WAITING);
  server->ticker = g_thread_new ("live-tick", tick_main, server);
  if (!al_server_live_share (server, error))
    {
      al_server_stop (server);
      return NULL;
    }
  server->tls = options->tls_cert != NULL;
  if (server->tls)
    flags |= MHD_USE_TLS;

  server->daemon = MHD_start_daemon (
    flags, options->port, NULL, NULL, (MHD_AccessHandlerCallback) on_request, server,
    MHD_OPTION_EXTERNAL_LOGGER, log_error, server,   /* first, or it misses some */
    MHD_OPTION_SOCK_ADDR, &addr,
    MHD_OPTION_NOTIFY_COMPLETED, on_completed, server,
    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
    MHD_OPTION_THREAD_POOL_SIZE, threads,
    MHD_OPTION_CONNECTION_TIMEOUT, options->idle_timeout_s ? options->idle_timeout_s
                                                            : (unsigned int) AL_SERVER_IDLE_TIMEOUT,
    MHD_OPTION_CONNECTION_LIMIT, options->max_connections ? options->max_connections
                                                          : (unsigned int) AL_SERVER_MAX_CONNECTIONS,
    MHD_OPTION_PER_IP_CONNECTION_LIMIT, options->per_address ? options->per_address
                                                             : (unsigned int) AL_SERVER_PER_ADDRESS,
    server->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, options->tls_cert,
    MHD_OPTION_HTTPS_MEM_KEY, options->tls_key,
    MHD_OPTION_END);
  if (server->daemon == NULL)
    {
      int err = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err),
                   "Cannot listen on %s:%u: %s", options->host, options->port,
                   err ? g_strerror (err) : "the TLS certificate or key may be unusable");
      al_server_stop (server);
      return NULL;
    }
  return server;
}

guint16
al_server_get_port (AlServer *server)
{
  const union MHD_DaemonInfo *info = MHD_get_daemon_info (server->daemon,
                                                          MHD_DAEMON_INFO_BIND_PORT);
  return info ? info->port : 0;
}

void
al_server_stop (AlServer *server)
{
  if (server == NULL)
    return;
  g_mutex_lock (&server->park_lock);
  g_atomic_int_set (&server->stopping, 1);
  g_mutex_unlock (&server->park_lock);
  /* Every suspended connection is resumed before the daemon stops: the
   * waiting requests are answered, the live streams end. */
  if (server->waiting)
    g_thread_pool_free (server->waiting, FALSE, TRUE);
  if (server->ticker)
    {
      g_mutex_lock (&server->park_lock);
      g_cond_signal (&server->tick);
      g_mutex_unlock (&server->park_lock);
      g_thread_join (server->ticker);
    }
  if (server->daemon)
    MHD_stop_daemon (server->daemon);
  /* No notice of the others may reach the live view once it is gone. */
  al_store_listen_stop (server->store);
  al_live_free (server->live);
  g_free (server->instance);
  g_hash_table_unref (server->buckets);
  g_mutex_clear (&server->rate_lock);
  g_mutex_clear (&server->park_lock);
  g_cond_clear (&server->tick);
  if (server->log_repeats)
    fprintf (stderr, "annolab-queue: the line above %u more times\n", server->log_repeats);
  g_free (server->log_last);
  g_mutex_clear (&server->log_lock);
  al_store_unref (server->store);
  g_free (server);
}
