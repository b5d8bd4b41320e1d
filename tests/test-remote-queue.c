/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workstation's remote queue against the real annolab-queue on
 * 127.0.0.1: what the outbox does with each kind of answer. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "al-remote-queue.h"
#include "server-harness.h"
#include "test-db.h"

typedef struct
{
  Server s;
  char *token;
  char *dir;
  AlStore *store;
  AlRemoteQueue *queue;
  GPtrArray *refused;       /* task ids, from the "refused" signal */
  GPtrArray *delivered;     /* task ids, from the "delivered" signal */
} Fixture;

static void
on_refused (AlQueue    *queue,
            const char *task_id,
            int         status,
            const char *reason,
            Fixture    *f)
{
  g_ptr_array_add (f->refused, g_strdup_printf ("%s %d", task_id, status));
}

static void
on_delivered (AlQueue    *queue,
              const char *task_id,
              json_t     *response,
              Fixture    *f)
{
  g_ptr_array_add (f->delivered, g_strdup (task_id));
}

static void
set_up (Fixture      *f,
        gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tasks = NULL;
  g_autofree char *db = NULL;
  g_autofree char *local = NULL;
  g_autofree char *demo = g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "data", "demo",
                                            NULL);
  g_autofree char *wav = g_build_filename (demo, "audio", "cards-001.wav", NULL);
  g_autofree char *text = g_strdup_printf (
    "{\"id\":\"r0\",\"kind\":\"transcribe\",\"language\":\"en\",\"audio\":\"%s\"}\n"
    "{\"id\":\"r1\",\"kind\":\"transcribe\",\"language\":\"en\",\"audio\":\"%s\"}\n", wav, wav);

  f->dir = g_dir_make_tmp ("annolab-remote-XXXXXX", NULL);
  tasks = g_build_filename (f->dir, "tasks.jsonl", NULL);
  db = harness_db (f->dir);
  g_assert_true (g_file_set_contents (tasks, text, -1, NULL));
  /* The demo recording is this dataset's media: its folder is the root. */
  g_free (harness_run (db, "import", tasks, "--media-root", demo, NULL));
  g_free (harness_run (db, "set", "gold_share", "0", NULL));
  f->token = harness_run (db, "user", "add", "ann", "--role", "participant", NULL);
  server_start (&f->s, f->dir);

  g_setenv ("XDG_CACHE_HOME", f->dir, TRUE);
  local = g_build_filename (f->dir, "workstation.db", NULL);
  f->store = al_store_open (local, &error);
  g_assert_no_error (error);
  f->queue = al_remote_queue_new (f->s.url, f->token, f->store, &error);
  g_assert_no_error (error);
  f->refused = g_ptr_array_new_with_free_func (g_free);
  f->delivered = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->queue, "refused", G_CALLBACK (on_refused), f);
  g_signal_connect (f->queue, "delivered", G_CALLBACK (on_delivered), f);
}

static void
tear_down (Fixture      *f,
           gconstpointer data)
{
  g_clear_object (&f->queue);
  g_clear_pointer (&f->store, al_store_unref);
  g_ptr_array_unref (f->refused);
  g_ptr_array_unref (f->delivered);
  server_cleanup (&f->s);   /* removes f->dir too */
  g_free (f->dir);
  g_free (f->token);
}

static void
got (GObject      *source,
     GAsyncResult *result,
     gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static AlTask *
next_task (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  AlTask *task;

  al_queue_next_async (AL_QUEUE (f->queue), NULL, got, &result);
  task = al_queue_next_finish (AL_QUEUE (f->queue), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (task);
  return task;
}

static json_t *
submit (Fixture    *f,
        AlTask     *task,
        const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (json_t) answer = json_pack ("{s:s}", "text", text);
  json_t *response;

  al_queue_submit_async (AL_QUEUE (f->queue), task, answer, 1000, NULL, got, &result);
  response = al_queue_submit_finish (AL_QUEUE (f->queue), wait_for (&result), &error);
  g_assert_no_error (error);
  return response;
}

static void
spin (int ms)
{
  gint64 end = g_get_monotonic_time () + ms * (gint64) 1000;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
}

static gint64
count (const char *where,
       const char *sql)
{
  return test_db_int (where, sql, NULL);
}

static char *
local_db (Fixture *f)
{
  return g_build_filename (f->dir, "workstation.db", NULL);
}

/* A result the server takes: received, and the outbox is empty. */
static void
test_delivered (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (AlTask) task = next_task (f);
  g_autoptr (json_t) response = submit (f, task, "ten of clubs");
  g_autofree char *local = local_db (f);

  g_assert_true (json_is_true (json_object_get (response, "delivered")));
  g_assert_false (json_is_true (json_object_get (response, "queued")));
  g_assert_cmpint (count (local, "SELECT count(*) FROM outbox WHERE kind = 'result'"), ==, 0);
  g_assert_cmpint (count (f->s.db, "SELECT count(*) FROM results"), ==, 1);
}

/* The server closed the lease before the answer came (409): the answer is
 * refused once, kept with the reason, and never sent again. */
static void
test_refusal_is_final (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr (AlTask) task = next_task (f);
  g_autoptr (json_t) response = NULL;
  g_autoptr (AlTask) other = NULL;
  g_autofree char *local = local_db (f);
  g_autofree char *close = g_strdup_printf ("UPDATE leases SET state = 'done' WHERE id = '%s'",
                                            task->lease_id);

  test_db_exec (f->s.db, close);
  response = submit (f, task, "ten of clubs");
  g_assert_true (json_is_true (json_object_get (response, "refused")));
  g_assert_cmpint (json_integer_value (json_object_get (response, "status")), ==, 409);
  g_assert_nonnull (strstr (json_string_value (json_object_get (response, "reason")), "409"));

  spin (3500);
  g_assert_cmpint (count (local, "SELECT count(*) FROM outbox WHERE kind = 'result'"
                                 " AND error LIKE '%409%' AND attempts = 1"
                                 " AND body LIKE '%ten of clubs%'"), ==, 1);
  g_assert_cmpint (al_store_outbox_pending (f->store), ==, 0);
  g_assert_cmpint (count (f->s.db, "SELECT count(*) FROM results"), ==, 0);
  /* Already told in the submit's answer: no second word by signal. */
  g_assert_cmpuint (f->refused->len, ==, 0);
  /* And the task does not come back to this workstation. */
  other = next_task (f);
  g_assert_cmpstr (other->id, !=, task->id);
}

/* The server is busy (503: its database is locked): the answer is kept,
 * tried again after a pause, and then arrives exactly once. */
static void
test_server_error_is_retried (Fixture      *f,
                              gconstpointer data)
{
  g_autoptr (AlTask) task = next_task (f);
  g_autoptr (json_t) response = NULL;
  g_autofree char *local = local_db (f);
  TestTx *db = test_db_begin_locked (f->s.db);

  response = submit (f, task, "ten of clubs");
  g_assert_true (json_is_true (json_object_get (response, "queued")));
  /* The server gives up on its lock after 5 s and answers 503. */
  while (count (local, "SELECT count(*) FROM outbox WHERE kind = 'result' AND attempts >= 1"
                       " AND error IS NULL") != 1)
    spin (100);
  test_db_commit (db);
  /* Up to 30 s: the back-off doubles from 1 s after each failed try. */
  for (int i = 0; i < 300 && f->delivered->len == 0; i++)
    spin (100);
  g_assert_cmpuint (f->delivered->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->delivered, 0), ==, task->id);
  g_assert_cmpint (count (local, "SELECT count(*) FROM outbox WHERE kind = 'result'"), ==, 0);
  g_assert_cmpint (count (f->s.db, "SELECT count(*) FROM results"), ==, 1);
  g_assert_cmpuint (f->refused->len, ==, 0);
}

/* A refusal that comes after the submit said "kept" (the server was busy
 * first) is told by the "refused" signal, once, and the row stays. */
static void
test_later_refusal_is_signalled (Fixture      *f,
                                 gconstpointer data)
{
  g_autoptr (AlTask) task = next_task (f);
  g_autoptr (json_t) response = NULL;
  g_autofree char *local = local_db (f);
  g_autofree char *close = g_strdup_printf ("UPDATE leases SET state = 'done' WHERE id = '%s'",
                                            task->lease_id);
  TestTx *db = test_db_begin_locked (f->s.db);

  test_tx_exec (db, close);
  response = submit (f, task, "ten of clubs");
  g_assert_true (json_is_true (json_object_get (response, "queued")));
  while (count (local, "SELECT count(*) FROM outbox WHERE kind = 'result' AND attempts >= 1")
         != 1)
    spin (100);
  test_db_commit (db);
  for (int i = 0; i < 300 && f->refused->len == 0; i++)
    spin (100);
  spin (2500);
  g_assert_cmpuint (f->refused->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->refused, 0), ==, "r0 409");
  g_assert_cmpuint (f->delivered->len, ==, 0);
  g_assert_cmpint (count (local, "SELECT count(*) FROM outbox WHERE kind = 'result'"
                                 " AND error LIKE '%409%'"), ==, 1);
}

/* Not reached at all: kept, and the submit does not pretend otherwise. */
static void
test_unreachable_is_kept (Fixture      *f,
                          gconstpointer data)
{
  g_autoptr (AlTask) task = next_task (f);
  g_autoptr (json_t) response = NULL;
  g_autofree char *local = local_db (f);

  server_kill (&f->s, SIGKILL);
  response = submit (f, task, "ten of clubs");
  g_assert_true (json_is_true (json_object_get (response, "queued")));
  /* Waits for the failed attempt itself: a slow build takes longer to fail. */
  for (int i = 0; i < 300 && count (local, "SELECT count(*) FROM outbox WHERE kind = 'result'"
                                           " AND attempts >= 1") != 1; i++)
    spin (100);
  g_assert_cmpint (count (local, "SELECT count(*) FROM outbox WHERE kind = 'result'"
                                 " AND error IS NULL AND next_attempt_at > 0"), ==, 1);
  g_assert_cmpint (al_store_outbox_pending (f->store), ==, 1);
}

static gboolean
same_bytes (const char *a,
            const char *b)
{
  g_autofree char *x = NULL, *y = NULL;
  gsize nx = 0, ny = 0;

  g_assert_true (g_file_get_contents (a, &x, &nx, NULL));
  g_assert_true (g_file_get_contents (b, &y, &ny, NULL));
  return nx == ny && memcmp (x, y, nx) == 0;
}

/* The media cache never hands out a stale copy: after the lab's media 1
 * became another file (a new database, a restored backup), the next
 * workstation start on the same cache gets the new file, not the copy it
 * kept. It used to be named by the media path alone and used unchecked. */
static void
test_cache_follows_server (Fixture      *f,
                           gconstpointer data)
{
  g_autofree char *demo = g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "data", "demo",
                                            "audio", NULL);
  g_autofree char *first = g_build_filename (demo, "cards-001.wav", NULL);
  g_autofree char *second = g_build_filename (demo, "cards-002.wav", NULL);
  g_autofree char *sql = g_strdup_printf ("UPDATE media SET path = '%s'", second);
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (AlTask) task = next_task (f);
    g_assert_true (same_bytes (task->media, first));
  }
  g_assert_false (same_bytes (first, second));
  test_db_exec (f->s.db, sql);

  /* The workstation starts again on the same cache. */
  g_clear_object (&f->queue);
  f->queue = al_remote_queue_new (f->s.url, f->token, f->store, &error);
  g_assert_no_error (error);
  {
    g_autoptr (AlTask) task = next_task (f);
    g_assert_true (same_bytes (task->media, second));
  }
}

static gboolean
pass_task (Fixture    *f,
           AlTask     *task,
           const char *reason,
           GError    **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  al_queue_pass_async (AL_QUEUE (f->queue), task, reason, NULL, got, &result);
  return al_queue_pass_finish (AL_QUEUE (f->queue), wait_for (&result), error);
}

/* The workstation says it is in voice mode with each lease, so a box task
 * never comes; a pass goes through the outbox, and the day's cap keeps the
 * task on screen. */
static void
test_voice_and_pass (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) r0 = NULL;
  g_autoptr (AlTask) r1 = NULL;
  g_autoptr (AlTask) box = NULL;
  g_autoptr (json_t) response = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autofree char *local = local_db (f);
  g_autofree char *demo = g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "data", "demo",
                                            NULL);
  g_autofree char *png = g_build_filename (demo, "images", "coins.png", NULL);
  g_autofree char *boxes = g_build_filename (f->dir, "boxes.jsonl", NULL);
  g_autofree char *text = g_strdup_printf ("{\"id\":\"b0\",\"kind\":\"bbox\",\"image\":\"%s\","
                                           "\"labels\":[\"coin\"]}\n", png);
  AlTask *none;

  g_assert_true (g_file_set_contents (boxes, text, -1, NULL));
  g_free (harness_run (f->s.db, "import", boxes, "--dataset", "boxes", "--media-root", demo, NULL));
  al_queue_set_voice (AL_QUEUE (f->queue), TRUE);

  r0 = next_task (f);
  g_assert_cmpstr (r0->id, ==, "r0");
  g_assert_true (pass_task (f, r0, "noisy", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (local, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (count (f->s.db, "SELECT count(*) FROM passes WHERE reason = 'noisy'"), ==, 1);
  r1 = next_task (f);
  g_assert_cmpstr (r1->id, ==, "r1");

  g_free (harness_run (f->s.db, "set", "max_passes", "1", NULL));
  g_assert_false (pass_task (f, r1, "language", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_TOO_MANY_PASSES);
  g_clear_error (&error);
  g_assert_cmpint (count (local, "SELECT count(*) FROM outbox"), ==, 0);
  response = submit (f, r1, "ten of clubs");
  g_assert_true (json_is_true (json_object_get (response, "delivered")));

  /* Nothing to listen to is left: no box task in its place. */
  al_queue_next_async (AL_QUEUE (f->queue), NULL, got, &result);
  none = al_queue_next_finish (AL_QUEUE (f->queue), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_null (none);
  al_queue_set_voice (AL_QUEUE (f->queue), FALSE);
  box = next_task (f);
  g_assert_cmpstr (box->id, ==, "b0");
  g_assert_cmpint (count (f->s.db, "SELECT count(*) FROM results"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/remote-queue/delivered", Fixture, NULL, set_up, test_delivered, tear_down);
  g_test_add ("/remote-queue/voice-and-pass", Fixture, NULL, set_up, test_voice_and_pass,
              tear_down);
  g_test_add ("/remote-queue/cache-follows-server", Fixture, NULL, set_up,
              test_cache_follows_server, tear_down);
  g_test_add ("/remote-queue/refusal-is-final", Fixture, NULL, set_up, test_refusal_is_final,
              tear_down);
  g_test_add ("/remote-queue/server-error-is-retried", Fixture, NULL, set_up,
              test_server_error_is_retried, tear_down);
  g_test_add ("/remote-queue/later-refusal-is-signalled", Fixture, NULL, set_up,
              test_later_refusal_is_signalled, tear_down);
  g_test_add ("/remote-queue/unreachable-is-kept", Fixture, NULL, set_up, test_unreachable_is_kept,
              tear_down);
  return g_test_run ();
}
