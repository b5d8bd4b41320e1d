/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-remote"

#include "config.h"

#include <curl/curl.h>
#include <glib/gstdio.h>
#include <string.h>

#include "al-remote-queue.h"

#define HEARTBEAT_US (10 * G_USEC_PER_SEC)
#define LEASE_RENEW_US (120 * G_USEC_PER_SEC)
#define MAX_BACKOFF_MS 60000
#define MAX_RESPONSE (8 * 1024 * 1024)
#define MAX_MEDIA ((gint64) 512 * 1024 * 1024)
/* How long a submit waits for the server's answer before it says the
 * result is kept here and sent later. */
#define SUBMIT_WAIT_US (3 * G_USEC_PER_SEC)

typedef enum
{
  SENT_WAITING,
  SENT_DELIVERED,
  SENT_LATER,
  SENT_REFUSED,
} Sent;

/* A submit waiting for the sender's first try of its outbox row. */
typedef struct
{
  gint64 id;
  Sent sent;
  json_t *reply;
  long status;
  char *reason;
} Waiter;

struct _AlRemoteQueue
{
  AlQueue parent_instance;

  char *base;
  char *token;
  AlStore *store;
  char *cache_dir;
  GMainContext *context;

  GMutex lock;
  GCond wake;
  GThread *sender;
  int stop;                 /* atomic: also read by requests under way */
  json_t *state;
  GPtrArray *held;          /* lease ids this workstation holds */
  GPtrArray *skipped;       /* leases of tasks already handed in here */
  AlTask *prefetched;
  gboolean prefetched_voice; /* the voice mode it was leased in */
  gboolean prefetching;
  int last_number;          /* "task N today": the server counts only what arrived */
  GPtrArray *waiters;       /* Waiter *, owned by the submit that waits */
  gboolean reachable;       /* the last request reached the server */
  gint64 started_ms;
};

G_DEFINE_FINAL_TYPE (AlRemoteQueue, al_remote_queue, AL_TYPE_QUEUE)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)

typedef struct
{
  GString *data;
  gboolean too_big;
} Sink;

static size_t
sink_write (char  *ptr,
            size_t size,
            size_t n,
            void  *user_data)
{
  Sink *sink = user_data;
  if (sink->data->len + size * n > MAX_RESPONSE)
    {
      sink->too_big = TRUE;
      return 0;
    }
  g_string_append_len (sink->data, ptr, size * n);
  return size * n;
}

/* A request under way ends when the queue goes (at quit), instead of
 * holding the quit until its time-out. */
static int
stop_requested (void      *data,
                curl_off_t dltotal,
                curl_off_t dlnow,
                curl_off_t ultotal,
                curl_off_t ulnow)
{
  AlRemoteQueue *self = data;
  return g_atomic_int_get (&self->stop);
}

static void
set_stoppable (AlRemoteQueue *self,
               CURL          *curl)
{
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, stop_requested);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, self);
}

/* Everything here runs in worker threads: the main loop never waits on the
 * network. Returns the HTTP status, or 0 when the server was not reached. */
static long
request (AlRemoteQueue *self,
         const char    *method,
         const char    *path,
         json_t        *body,
         json_t       **reply,
         GError       **error)
{
  g_autoptr (CURL) curl = curl_easy_init ();
  g_autofree char *url = g_strconcat (self->base, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Authorization: Bearer %s", self->token);
  g_autofree char *text = body ? json_dumps (body, JSON_COMPACT) : NULL;
  struct curl_slist *headers = NULL;
  Sink sink = { g_string_new (NULL), FALSE };
  long status = 0;
  CURLcode rc;

  headers = curl_slist_append (headers, auth);
  if (text)
    headers = curl_slist_append (headers, "Content-Type: application/json");
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, sink_write);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, 15000L);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  set_stoppable (self, curl);
  if (text)
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, text);
  else if (g_str_equal (method, "POST"))
    curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE, 0L);
  rc = curl_easy_perform (curl);
  curl_slist_free_all (headers);
  if (rc != CURLE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE,
                   "The lab server at %s cannot be reached (%s).", self->base,
                   curl_easy_strerror (rc));
      g_string_free (sink.data, TRUE);
      return 0;
    }
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  if (reply)
    *reply = sink.data->len ? json_loadb (sink.data->str, sink.data->len, 0, NULL) : NULL;
  if (status >= 400)
    {
      g_autoptr (json_t) err = json_loadb (sink.data->str, sink.data->len, 0, NULL);
      json_t *e = json_object_get (err, "error");
      const char *message = json_string_value (json_object_get (e, "message"));
      const char *code = json_is_string (e) ? json_string_value (e)
                                            : json_string_value (json_object_get (e, "code"));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The lab server answered %ld%s%s%s: %s",
                   status, code ? " (" : "", code ? code : "", code ? ")" : "",
                   message ? message : "no reason given");
    }
  g_string_free (sink.data, TRUE);
  return status;
}

typedef struct
{
  AlRemoteQueue *self;
  gboolean online;
  json_t *notice;
  char *task_id;
  json_t *response;
  long refused;
  char *reason;
} MainCall;

static gboolean
main_call (gpointer data)
{
  MainCall *call = data;

  if (call->notice)
    al_queue_emit_notice (AL_QUEUE (call->self), call->notice);
  else if (call->refused)
    al_queue_emit_refused (AL_QUEUE (call->self), call->task_id, (int) call->refused,
                           call->reason);
  else if (call->task_id)
    al_queue_emit_delivered (AL_QUEUE (call->self), call->task_id, call->response);
  else
    al_queue_set_online (AL_QUEUE (call->self), call->online);
  g_object_unref (call->self);
  g_clear_pointer (&call->notice, json_decref);
  g_clear_pointer (&call->response, json_decref);
  g_free (call->task_id);
  g_free (call->reason);
  g_free (call);
  return G_SOURCE_REMOVE;
}

static void
to_main (AlRemoteQueue *self,
         MainCall      *call)
{
  call->self = g_object_ref (self);
  g_main_context_invoke (self->context, main_call, call);
}

static void
set_online (AlRemoteQueue *self,
            gboolean       online)
{
  MainCall *call = g_new0 (MainCall, 1);
  call->online = online;
  g_mutex_lock (&self->lock);
  self->reachable = online;
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
  to_main (self, call);
}

static void
deliver_notices (AlRemoteQueue *self,
                 json_t        *reply)
{
  json_t *notices = json_object_get (reply, "notices");
  json_t *notice;
  size_t i;

  json_array_foreach (notices, i, notice)
    {
      MainCall *call = g_new0 (MainCall, 1);
      call->notice = json_incref (notice);
      to_main (self, call);
    }
}

/* Keeps the ETag of a media answer. */
static size_t
keep_etag (char   *line,
           size_t  size,
           size_t  n,
           void   *data)
{
  char **etag = data;
  gsize len = size * n;

  if (len > 5 && g_ascii_strncasecmp (line, "ETag:", 5) == 0)
    {
      g_free (*etag);
      *etag = g_strstrip (g_strndup (line + 5, len - 5));
    }
  return len;
}

/* Media comes down into the cache; the editor only sees a file. The cache
 * is named by server and path, and a cached copy is used only when the
 * server says it is still the same file (If-None-Match): a media number
 * means another file on another server, or after the lab made a new
 * database, and a wrong photo must never be labelled. */
static char *
download (AlRemoteQueue *self,
          const char    *path,
          GError       **error)
{
  g_autofree char *key = g_strconcat (self->base, path, NULL);
  g_autofree char *name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *file = g_build_filename (self->cache_dir, name, NULL);
  g_autofree char *etag_file = g_strconcat (file, ".etag", NULL);
  g_autofree char *partial = g_strconcat (file, ".part", NULL);
  g_autofree char *url = g_strconcat (self->base, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Authorization: Bearer %s", self->token);
  g_autofree char *cached_etag = NULL;
  g_autofree char *if_none_match = NULL;
  g_autofree char *etag = NULL;
  g_autoptr (CURL) curl = NULL;
  struct curl_slist *headers = NULL;
  long status = 0;
  gboolean closed;
  CURLcode rc;
  FILE *out;

  if (g_file_test (file, G_FILE_TEST_IS_REGULAR) &&
      g_file_get_contents (etag_file, &cached_etag, NULL, NULL) && *g_strstrip (cached_etag))
    if_none_match = g_strdup_printf ("If-None-Match: %s", cached_etag);
  out = g_fopen (partial, "wb");
  if (out == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Cannot write the media cache in %s",
                   self->cache_dir);
      return NULL;
    }
  curl = curl_easy_init ();
  headers = curl_slist_append (headers, auth);
  if (if_none_match)
    headers = curl_slist_append (headers, if_none_match);
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, out);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, keep_etag);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, &etag);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt (curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) MAX_MEDIA);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  set_stoppable (self, curl);
  rc = curl_easy_perform (curl);
  curl_slist_free_all (headers);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  closed = fclose (out) == 0;
  if (rc == CURLE_OK && status == 304 && if_none_match)
    {
      g_unlink (partial);
      return g_steal_pointer (&file);
    }
  if (!closed || rc != CURLE_OK || status != 200)
    {
      g_unlink (partial);
      g_set_error (error, G_IO_ERROR, rc == CURLE_OK ? G_IO_ERROR_FAILED
                                                     : G_IO_ERROR_NETWORK_UNREACHABLE,
                   "The media of the task could not be fetched (%s)",
                   rc != CURLE_OK ? curl_easy_strerror (rc) : "the server refused");
      return NULL;
    }
  /* The old ETag goes first: a copy is never paired with another's tag. */
  g_unlink (etag_file);
  g_rename (partial, file);
  if (etag)
    g_file_set_contents (etag_file, etag, -1, NULL);
  return g_steal_pointer (&file);
}

static AlTask *
lease_one (AlRemoteQueue *self,
           GError       **error)
{
  g_autoptr (json_t) body = json_object ();
  g_autoptr (json_t) reply = NULL;
  json_t *exclude = json_array ();
  g_autoptr (AlTask) task = NULL;
  g_autoptr (GError) local = NULL;
  json_t *task_json, *lease;
  g_autofree char *file = NULL;
  g_autoptr (GPtrArray) leases = al_store_outbox_handed_in (self->store, "lease_id");
  g_autoptr (GPtrArray) tasks = al_store_outbox_handed_in (self->store, "task_id");
  long status;

  /* Not the tasks in hand, nor those whose answer is kept here: until the
   * answer arrives, the server still counts such a task as ours to do. */
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->held->len; i++)
    json_array_append_new (exclude, json_string (g_ptr_array_index (self->held, i)));
  for (guint i = 0; i < self->skipped->len; i++)
    json_array_append_new (exclude, json_string (g_ptr_array_index (self->skipped, i)));
  g_mutex_unlock (&self->lock);
  for (guint i = 0; i < leases->len; i++)
    json_array_append_new (exclude, json_string (g_ptr_array_index (leases, i)));
  json_object_set_new (body, "exclude", exclude);
  /* The server routes by what the workstation does now: the participant
   * may have turned voice mode on a minute ago. */
  json_object_set_new (body, "voice", json_boolean (al_queue_get_voice (AL_QUEUE (self))));

  for (int round = 0;; round++)
    {
      const char *lease_id;

      g_clear_pointer (&reply, json_decref);
      status = request (self, "POST", "/api/v1/lease", body, &reply, error);
      set_online (self, status != 0);
      if (status != 200)
        return NULL;
      task_json = json_object_get (reply, "task");
      lease = json_object_get (reply, "lease");
      lease_id = json_string_value (json_object_get (lease, "id"));
      /* A task handed in here under another lease (its answer refused, or
       * still on its way after the old lease ran out) is not shown again:
       * the lease is left to run out. */
      if (round >= 4 || lease_id == NULL ||
          !g_ptr_array_find_with_equal_func (tasks, json_string_value (json_object_get (task_json,
                                                                                      "id")),
                                             g_str_equal, NULL))
        break;
      g_message ("Task %s was handed in here already; asking for another",
                 json_string_value (json_object_get (task_json, "id")));
      json_array_append_new (exclude, json_string (lease_id));
      g_mutex_lock (&self->lock);
      g_ptr_array_add (self->skipped, g_strdup (lease_id));
      g_mutex_unlock (&self->lock);
    }
  task = al_task_new_from_json (task_json, NULL, &local);
  if (task == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The lab server sent a task annolab cannot read: %s", local->message);
      return NULL;
    }
  task->lease_id = g_strdup (json_string_value (json_object_get (lease, "id")));
  task->lease_expires_ms = json_integer_value (json_object_get (lease, "expires_ms"));
  task->number_today = json_integer_value (json_object_get (task_json, "number_today"));
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->held, g_strdup (task->lease_id));
  g_mutex_unlock (&self->lock);

  /* A missing download is the task's problem, not the network's: the
   * editor reports it as broken like any unreadable media. */
  file = download (self, json_string_value (json_object_get (task_json, "media_url")), &local);
  g_free (task->media);
  task->media = file ? g_steal_pointer (&file)
                     : g_build_filename (self->cache_dir, "unavailable", NULL);
  return g_steal_pointer (&task);
}

static void
prefetch_thread (GTask        *gtask,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  AlRemoteQueue *self = source;
  gboolean voice = al_queue_get_voice (AL_QUEUE (self));
  AlTask *task = lease_one (self, NULL);

  g_mutex_lock (&self->lock);
  self->prefetched = task;
  self->prefetched_voice = voice;
  self->prefetching = FALSE;
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
  g_task_return_boolean (gtask, TRUE);
}

static void
start_prefetch (AlRemoteQueue *self)
{
  g_autoptr (GTask) gtask = NULL;

  g_mutex_lock (&self->lock);
  if (self->prefetching || self->prefetched)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->prefetching = TRUE;
  g_mutex_unlock (&self->lock);
  gtask = g_task_new (self, NULL, NULL, NULL);
  g_task_run_in_thread (gtask, prefetch_thread);
}

static gboolean
handed_in (AlRemoteQueue *self,
           const char    *task_id)
{
  g_autoptr (GPtrArray) tasks = al_store_outbox_handed_in (self->store, "task_id");
  return g_ptr_array_find_with_equal_func (tasks, task_id, g_str_equal, NULL);
}

static void
next_thread (GTask        *gtask,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  AlRemoteQueue *self = source;
  GError *error = NULL;
  AlTask *task;

  /* Take the prefetched task if there is one (waiting for one on its way). */
  g_mutex_lock (&self->lock);
  while (self->prefetching)
    g_cond_wait (&self->wake, &self->lock);
  task = g_steal_pointer (&self->prefetched);
  /* Leased before voice mode changed: not held back from the server's
   * choice, which gives it again or lets it go by the new mode. */
  if (task && self->prefetched_voice != al_queue_get_voice (AL_QUEUE (self)))
    {
      guint i;
      if (g_ptr_array_find_with_equal_func (self->held, task->lease_id, g_str_equal, &i))
        g_ptr_array_remove_index (self->held, i);
      g_clear_pointer (&task, al_task_unref);
    }
  g_mutex_unlock (&self->lock);

  /* Leased before the answer to the same task was handed in. */
  if (task && handed_in (self, task->id))
    {
      guint i;
      g_mutex_lock (&self->lock);
      if (g_ptr_array_find_with_equal_func (self->held, task->lease_id, g_str_equal, &i))
        g_ptr_array_remove_index (self->held, i);
      g_ptr_array_add (self->skipped, g_strdup (task->lease_id));
      g_mutex_unlock (&self->lock);
      g_clear_pointer (&task, al_task_unref);
    }
  if (task == NULL)
    task = lease_one (self, &error);
  if (task)
    {
      g_mutex_lock (&self->lock);
      task->number_today = MAX (task->number_today, self->last_number + 1);
      self->last_number = task->number_today;
      g_mutex_unlock (&self->lock);
    }
  if (error)
    g_task_return_error (gtask, error);
  else
    g_task_return_pointer (gtask, task, (GDestroyNotify) al_task_unref);
}

static void
next_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  GTask *outer = data;
  GError *error = NULL;
  AlTask *task = g_task_propagate_pointer (G_TASK (result), &error);

  if (error)
    g_task_return_error (outer, error);
  else
    {
      g_task_return_pointer (outer, task, (GDestroyNotify) al_task_unref);
      if (task)
        start_prefetch (AL_REMOTE_QUEUE (source));
    }
  g_object_unref (outer);
}

static void
al_remote_queue_next_async (AlQueue            *queue,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  GTask *outer = g_task_new (queue, cancellable, callback, user_data);
  g_autoptr (GTask) inner = g_task_new (queue, NULL, next_done, outer);
  g_task_run_in_thread (inner, next_thread);
}

static void
release_lease (AlRemoteQueue *self,
               const char    *lease_id)
{
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->held->len; i++)
    if (g_str_equal (g_ptr_array_index (self->held, i), lease_id))
      {
        g_ptr_array_remove_index (self->held, i);
        break;
      }
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
}

static void
waiter_free (Waiter *w)
{
  g_clear_pointer (&w->reply, json_decref);
  g_free (w->reason);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Waiter, waiter_free)

/* The result is safe once it is in the outbox. The submit then waits a
 * little for the server's answer, so that what the participant is told is
 * what happened: received, refused, or kept here to be sent later. */
static void
submit_thread (GTask        *gtask,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  AlRemoteQueue *self = source;
  json_t *body = data;
  const char *task_id = json_string_value (json_object_get (body, "task_id"));
  g_autoptr (Waiter) w = g_new0 (Waiter, 1);
  gint64 deadline = g_get_monotonic_time () + SUBMIT_WAIT_US;
  GError *error = NULL;
  json_t *answer;

  /* The row is added under the lock, so the sender cannot settle it before
   * this submit waits for it. */
  g_mutex_lock (&self->lock);
  w->id = al_store_outbox_add (self->store, "result", body, &error);
  if (w->id < 0)
    {
      g_mutex_unlock (&self->lock);
      g_task_return_error (gtask, error);
      return;
    }
  if (self->reachable)
    {
      g_ptr_array_add (self->waiters, w);
      g_cond_broadcast (&self->wake);
      while (w->sent == SENT_WAITING && !self->stop &&
             g_cond_wait_until (&self->wake, &self->lock, deadline))
        ;
      g_ptr_array_remove (self->waiters, w);
    }
  g_mutex_unlock (&self->lock);
  al_store_clear_draft (self->store, task_id, NULL);
  release_lease (self, json_string_value (json_object_get (body, "lease_id")));

  switch (w->sent)
    {
    case SENT_DELIVERED:
      answer = w->reply ? json_deep_copy (w->reply) : json_object ();
      json_object_set_new (answer, "delivered", json_true ());
      break;
    case SENT_REFUSED:
      answer = json_pack ("{s:b,s:I,s:s}", "refused", TRUE, "status", (json_int_t) w->status,
                          "reason", w->reason ? w->reason : "");
      break;
    default:
      answer = json_pack ("{s:b}", "queued", TRUE);
    }
  json_object_set_new (answer, "task_id", json_string (task_id));
  g_task_return_pointer (gtask, answer, (GDestroyNotify) json_decref);
}

static void
al_remote_queue_submit_async (AlQueue            *queue,
                              AlTask             *task,
                              json_t             *result,
                              gint64              lead_time_ms,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr (GTask) gtask = g_task_new (queue, cancellable, callback, user_data);
  g_autofree char *key = g_uuid_string_random ();
  json_t *body = json_pack ("{s:s,s:s,s:s,s:O,s:I}", "task_id", task->id, "lease_id",
                            task->lease_id, "idempotency_key", key, "result", result,
                            "lead_time_ms", (json_int_t) lead_time_ms);

  g_task_set_task_data (gtask, body, (GDestroyNotify) json_decref);
  g_task_run_in_thread (gtask, submit_thread);
}

static void
al_remote_queue_report_broken (AlQueue    *queue,
                               AlTask     *task,
                               const char *reason)
{
  AlRemoteQueue *self = AL_REMOTE_QUEUE (queue);
  g_autoptr (json_t) body = json_pack ("{s:s,s:s}", "lease_id", task->lease_id, "reason", reason);
  g_autoptr (GError) error = NULL;

  if (al_store_outbox_add (self->store, "broken", body, &error) < 0)
    g_warning ("Could not keep the broken-task report: %s", error->message);
  release_lease (self, task->lease_id);
}

/* Through the outbox like an answer, so a pass made offline still goes;
 * it waits a little for the server, which may refuse it (the day's cap):
 * then the task stays on screen. */
static void
pass_thread (GTask        *gtask,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  AlRemoteQueue *self = source;
  json_t *body = data;
  g_autoptr (Waiter) w = g_new0 (Waiter, 1);
  gint64 deadline = g_get_monotonic_time () + SUBMIT_WAIT_US;
  GError *error = NULL;

  g_mutex_lock (&self->lock);
  w->id = al_store_outbox_add (self->store, "pass", body, &error);
  if (w->id < 0)
    {
      g_mutex_unlock (&self->lock);
      g_task_return_error (gtask, error);
      return;
    }
  if (self->reachable)
    {
      g_ptr_array_add (self->waiters, w);
      g_cond_broadcast (&self->wake);
      while (w->sent == SENT_WAITING && !self->stop &&
             g_cond_wait_until (&self->wake, &self->lock, deadline))
        ;
      g_ptr_array_remove (self->waiters, w);
    }
  g_mutex_unlock (&self->lock);
  if (w->sent == SENT_REFUSED && w->reason && strstr (w->reason, "(too_many_passes)"))
    {
      g_task_return_new_error (gtask, AL_STORE_ERROR, AL_STORE_ERROR_TOO_MANY_PASSES, "%s",
                               w->reason);
      return;
    }
  al_store_clear_draft (self->store, json_string_value (json_object_get (body, "task_id")), NULL);
  release_lease (self, json_string_value (json_object_get (body, "lease_id")));
  g_task_return_boolean (gtask, TRUE);
}

static void
al_remote_queue_pass_async (AlQueue            *queue,
                            AlTask             *task,
                            const char         *reason,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr (GTask) gtask = g_task_new (queue, cancellable, callback, user_data);
  json_t *body = json_pack ("{s:s,s:s,s:s}", "task_id", task->id, "lease_id", task->lease_id,
                            "reason", reason);

  g_task_set_task_data (gtask, body, (GDestroyNotify) json_decref);
  g_task_run_in_thread (gtask, pass_thread);
}

static gboolean
al_remote_queue_pass_finish (AlQueue      *queue,
                             GAsyncResult *result,
                             GError      **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
al_remote_queue_post_event (AlQueue    *queue,
                            const char *type,
                            json_t     *data)
{
  AlRemoteQueue *self = AL_REMOTE_QUEUE (queue);
  g_autoptr (json_t) body = data ? json_deep_copy (data) : json_object ();
  g_autoptr (GError) error = NULL;

  json_object_set_new (body, "type", json_string (type));
  json_object_set_new (body, "at", json_integer (g_get_real_time () / 1000));
  if (al_store_outbox_add (self->store, "event", body, &error) < 0)
    g_warning ("Could not keep the %s event: %s", type, error->message);
  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
}

static void
record_thread (GTask        *gtask,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  json_t *reply = NULL;
  GError *error = NULL;

  if (request (source, "GET", "/api/v1/me/record", NULL, &reply, &error) == 200 && reply)
    g_task_return_pointer (gtask, reply, (GDestroyNotify) json_decref);
  else
    {
      if (reply)
        json_decref (reply);
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "The lab server sent no record");
      g_task_return_error (gtask, error);
    }
}

static void
al_remote_queue_record_async (AlQueue            *queue,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr (GTask) gtask = g_task_new (queue, cancellable, callback, user_data);
  g_task_run_in_thread (gtask, record_thread);
}

/* Hands the outcome of a row's first try to the submit waiting for it;
 * FALSE when none waits (any more), so the window hears of it by signal. */
static gboolean
settle (AlRemoteQueue *self,
        gint64         id,
        Sent           sent,
        long           status,
        json_t        *reply,
        const char    *reason)
{
  gboolean taken = FALSE;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->waiters->len && !taken; i++)
    {
      Waiter *w = g_ptr_array_index (self->waiters, i);
      if (w->id != id || w->sent != SENT_WAITING)
        continue;
      w->sent = sent;
      w->status = status;
      w->reply = reply ? json_incref (reply) : NULL;
      w->reason = g_strdup (reason);
      taken = TRUE;
    }
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
  return taken;
}

static void
send_one (AlRemoteQueue *self,
          gint64         id,
          const char    *kind,
          json_t        *body,
          int            attempts)
{
  g_autoptr (json_t) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  json_t *payload = body;
  long status;

  if (g_str_equal (kind, "result"))
    path = g_strdup ("/api/v1/results");
  else if (g_str_equal (kind, "event"))
    path = g_strdup ("/api/v1/events");
  else
    path = g_strdup_printf ("/api/v1/leases/%s/%s",
                            json_string_value (json_object_get (body, "lease_id")),
                            g_str_equal (kind, "pass") ? "pass" : "broken");
  status = request (self, "POST", path, payload, &reply, &error);
  set_online (self, status != 0 && status < 500);

  if (status >= 200 && status < 300)
    {
      al_store_outbox_done (self->store, id);
      if (g_str_equal (kind, "result") && !settle (self, id, SENT_DELIVERED, status, reply, NULL))
        {
          MainCall *call = g_new0 (MainCall, 1);
          call->task_id = g_strdup (json_string_value (json_object_get (body, "task_id")));
          call->response = reply ? json_incref (reply) : json_object ();
          to_main (self, call);
        }
      else if (g_str_equal (kind, "event"))
        deliver_notices (self, reply);
      else if (g_str_equal (kind, "pass"))
        settle (self, id, SENT_DELIVERED, status, reply, NULL);
    }
  else if (status == 0 || status >= 500 || status == 429 || status == 408)
    {
      /* Not reached or not now: try again later, ever more patiently. */
      gint64 wait = MIN ((gint64) 1000 << MIN (attempts, 6), MAX_BACKOFF_MS);
      al_store_outbox_retry (self->store, id, g_get_real_time () / 1000 + wait);
      settle (self, id, SENT_LATER, status, NULL, NULL);
    }
  else
    {
      /* Refused for good: sending it again would get the same answer. The
       * row stays, marked with the reason, so nothing typed is lost. */
      const char *reason = error ? error->message : "refused";
      g_message ("The lab server refused a %s: %s", kind, reason);
      /* A refused pass holds nothing typed: the task is still the
       * participant's to do, so the row goes. */
      if (g_str_equal (kind, "pass"))
        {
          al_store_outbox_done (self->store, id);
          settle (self, id, SENT_REFUSED, status, NULL, reason);
          return;
        }
      al_store_outbox_fail (self->store, id, reason);
      if (g_str_equal (kind, "result") && !settle (self, id, SENT_REFUSED, status, NULL, reason))
        {
          MainCall *call = g_new0 (MainCall, 1);
          call->task_id = g_strdup (json_string_value (json_object_get (body, "task_id")));
          call->refused = status;
          call->reason = g_strdup (reason);
          to_main (self, call);
        }
    }
}

static gpointer
sender_thread (gpointer data)
{
  AlRemoteQueue *self = data;
  gint64 last_beat = 0, last_renew = g_get_monotonic_time ();

  g_mutex_lock (&self->lock);
  while (!self->stop)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 id;
      g_autofree char *kind = NULL;
      g_autoptr (json_t) body = NULL;
      int attempts;

      g_mutex_unlock (&self->lock);
      if (now - last_beat >= HEARTBEAT_US)
        {
          g_autoptr (json_t) beat = NULL;
          g_autoptr (json_t) reply = NULL;
          g_mutex_lock (&self->lock);
          beat = self->state ? json_deep_copy (self->state) : json_object ();
          g_mutex_unlock (&self->lock);
          json_object_set_new (beat, "type", json_string ("heartbeat"));
          last_beat = now;
          if (request (self, "POST", "/api/v1/events", beat, &reply, NULL) == 200)
            {
              set_online (self, TRUE);
              deliver_notices (self, reply);
            }
          else
            set_online (self, FALSE);
        }
      if (now - last_renew >= LEASE_RENEW_US)
        {
          g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func (g_free);
          last_renew = now;
          g_mutex_lock (&self->lock);
          for (guint i = 0; i < self->held->len; i++)
            g_ptr_array_add (held, g_strdup (g_ptr_array_index (self->held, i)));
          g_mutex_unlock (&self->lock);
          for (guint i = 0; i < held->len; i++)
            {
              g_autofree char *path = g_strdup_printf ("/api/v1/leases/%s/heartbeat",
                                                       (char *) g_ptr_array_index (held, i));
              request (self, "POST", path, NULL, NULL, NULL);
            }
        }
      if (al_store_outbox_next (self->store, g_get_real_time () / 1000, &id, &kind, &body,
                                &attempts))
        {
          send_one (self, id, kind, body, attempts);
          g_mutex_lock (&self->lock);
          continue;
        }
      g_mutex_lock (&self->lock);
      if (!self->stop)
        g_cond_wait_until (&self->wake, &self->lock, g_get_monotonic_time () + G_USEC_PER_SEC);
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}

static void
flush_thread (GTask        *gtask,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  AlRemoteQueue *self = source;
  gint64 deadline = g_get_monotonic_time () + GPOINTER_TO_INT (data) * (gint64) 1000;

  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->wake);
  /* Until nothing is due (sent, refused, or put off after a failed try),
   * the server is known to be away, or the time is up. */
  while (!self->stop && self->reachable && g_get_monotonic_time () < deadline &&
         al_store_outbox_due (self->store, g_get_real_time () / 1000) > 0)
    g_cond_wait_until (&self->wake, &self->lock,
                       MIN (deadline, g_get_monotonic_time () + G_USEC_PER_SEC / 20));
  g_mutex_unlock (&self->lock);
  g_task_return_boolean (gtask, TRUE);
}

static void
al_remote_queue_flush_async (AlQueue            *queue,
                             int                 timeout_ms,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr (GTask) gtask = g_task_new (queue, NULL, callback, user_data);

  g_task_set_task_data (gtask, GINT_TO_POINTER (timeout_ms), NULL);
  g_task_run_in_thread (gtask, flush_thread);
}

static void
al_remote_queue_unsent (AlQueue *queue,
                        int     *waiting,
                        int     *refused)
{
  AlRemoteQueue *self = AL_REMOTE_QUEUE (queue);

  /* Waiting from any day (they go first thing); refused from this run. */
  *waiting = (int) al_store_outbox_results (self->store, FALSE, 0);
  *refused = (int) al_store_outbox_results (self->store, TRUE, self->started_ms);
}

static void
al_remote_queue_dispose (GObject *object)
{
  AlRemoteQueue *self = AL_REMOTE_QUEUE (object);

  if (self->sender)
    {
      g_mutex_lock (&self->lock);
      g_atomic_int_set (&self->stop, TRUE);
      g_cond_broadcast (&self->wake);
      g_mutex_unlock (&self->lock);
      g_thread_join (g_steal_pointer (&self->sender));
    }
  G_OBJECT_CLASS (al_remote_queue_parent_class)->dispose (object);
}

static void
al_remote_queue_finalize (GObject *object)
{
  AlRemoteQueue *self = AL_REMOTE_QUEUE (object);

  g_clear_pointer (&self->prefetched, al_task_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->skipped, g_ptr_array_unref);
  g_clear_pointer (&self->state, json_decref);
  g_clear_pointer (&self->store, al_store_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->base);
  g_free (self->token);
  g_free (self->cache_dir);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);
  G_OBJECT_CLASS (al_remote_queue_parent_class)->finalize (object);
}

static void
al_remote_queue_class_init (AlRemoteQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AlQueueClass *queue_class = AL_QUEUE_CLASS (klass);

  object_class->dispose = al_remote_queue_dispose;
  object_class->finalize = al_remote_queue_finalize;
  queue_class->next_async = al_remote_queue_next_async;
  queue_class->submit_async = al_remote_queue_submit_async;
  queue_class->report_broken = al_remote_queue_report_broken;
  queue_class->pass_async = al_remote_queue_pass_async;
  queue_class->pass_finish = al_remote_queue_pass_finish;
  queue_class->post_event = al_remote_queue_post_event;
  queue_class->record_async = al_remote_queue_record_async;
  queue_class->flush_async = al_remote_queue_flush_async;
  queue_class->unsent = al_remote_queue_unsent;
}

static void
al_remote_queue_init (AlRemoteQueue *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
  self->held = g_ptr_array_new_with_free_func (g_free);
  self->waiters = g_ptr_array_new ();
  self->skipped = g_ptr_array_new_with_free_func (g_free);
  self->reachable = TRUE;
}

AlRemoteQueue *
al_remote_queue_new (const char *base_url,
                     const char *token,
                     AlStore    *store,
                     GError    **error)
{
  AlRemoteQueue *self;

  g_return_val_if_fail (base_url && token && store, NULL);
  if (!g_str_has_prefix (base_url, "http://") && !g_str_has_prefix (base_url, "https://"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The lab server address must start with http:// or https://, not \"%s\"",
                   base_url);
      return NULL;
    }
  curl_global_init (CURL_GLOBAL_DEFAULT);
  self = g_object_new (AL_TYPE_REMOTE_QUEUE, NULL);
  self->base = g_strdup (base_url);
  if (g_str_has_suffix (self->base, "/"))
    self->base[strlen (self->base) - 1] = '\0';
  self->token = g_strdup (token);
  self->store = al_store_ref (store);
  self->started_ms = al_store_now_ms (store);
  self->context = g_main_context_ref_thread_default ();
  self->cache_dir = g_build_filename (g_get_user_cache_dir (), "annolab", "media", NULL);
  g_mkdir_with_parents (self->cache_dir, 0700);
  /* Results kept from an earlier run are sent first thing. */
  self->sender = g_thread_new ("annolab-sender", sender_thread, self);
  return self;
}

void
al_remote_queue_set_state (AlRemoteQueue *self,
                           json_t        *state)
{
  g_return_if_fail (AL_IS_REMOTE_QUEUE (self));
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->state, json_decref);
  self->state = state ? json_deep_copy (state) : NULL;
  g_mutex_unlock (&self->lock);
}
