/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two annolab-queue servers on one PostgreSQL database, 100 clients spread
 * over both, 2,000 lease+submit cycles; half-way one server is killed
 * (SIGKILL) and started again on its port. Its clients do what a
 * workstation does: half of them retry the same server until it is back,
 * half move to the other one, and a submit is always retried with the same
 * idempotency key (every tenth is also sent again through the other server,
 * as after an answer lost). At the end the database must hold no task leased
 * beyond its overlap, every acknowledged result exactly once, and no
 * result that no client sent. Run by with-postgres.sh. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "server-harness.h"
#include "test-db.h"

#define CLIENTS 100
/* Every third task wants two people: 1,000 + 2 × 500 = 2,000 cycles. */
#define TASKS 1500
#define CYCLES 2000

typedef struct
{
  Server servers[2];
  char *tokens[CLIENTS];
  GMutex lock;
  /* Guarded by lock: the keys of submits acknowledged with 200, and of
   * every submit sent at all (a submit cut off may or may not be stored). */
  GPtrArray *acked, *sent;
  int acks;
  int failures;
  int moved;
  int retried;
  int resubmitted;
} Lab;

/* The server's own start, on @listen, allowing all 100 clients from
 * 127.0.0.1 (the default is 16 connections per address). */
static void
start_on (Server     *s,
          const char *listen)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *queue = harness_queue_path ();
  g_autofree char *line = NULL;

  s->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, queue, "--db", s->db,
                              "serve", "--listen", listen, "--rate", "100000", "--per-address",
                              "1000", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  g_free (s->url);
  s->url = g_strdup (line + strlen ("listening on "));
}

static void
lab_set_up (Lab *lab)
{
  g_autofree char *dir = g_dir_make_tmp ("annolab-kill-XXXXXX", NULL);
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *db = NULL;

  harness_copy_demo (dir, "images/coins.png", "coins.png");
  for (int i = 0; i < TASKS; i++)
    g_string_append_printf (text, "{\"id\":\"t%04d\",\"kind\":\"bbox\",\"image\":\"coins.png\","
                                  "\"labels\":[\"coin\"],\"overlap\":%d}\n", i, i % 3 ? 1 : 2);
  db = harness_import (dir, text->str);
  for (int i = 0; i < CLIENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%02d", i);
      lab->tokens[i] = harness_add_user (db, name, "participant", "a");
    }
  for (int i = 0; i < 2; i++)
    {
      lab->servers[i].dir = g_strdup (dir);
      lab->servers[i].db = g_strdup (db);
      start_on (&lab->servers[i], "127.0.0.1:0");
    }
  g_mutex_init (&lab->lock);
  lab->acked = g_ptr_array_new_with_free_func (g_free);
  lab->sent = g_ptr_array_new_with_free_func (g_free);
}

static void
lab_tear_down (Lab *lab)
{
  server_kill (&lab->servers[1], SIGTERM);
  g_clear_pointer (&lab->servers[1].dir, g_free);
  g_clear_pointer (&lab->servers[1].db, g_free);
  g_clear_pointer (&lab->servers[1].url, g_free);
  server_cleanup (&lab->servers[0]);
  for (int i = 0; i < CLIENTS; i++)
    g_free (lab->tokens[i]);
  g_ptr_array_unref (lab->acked);
  g_ptr_array_unref (lab->sent);
  g_mutex_clear (&lab->lock);
}

typedef struct
{
  Lab *lab;
  int client;
} Worker;

/* A server that is not there (-1: refused, reset, cut off) or failing:
 * a workstation tries again. */
static gboolean
unanswered (long status)
{
  return status < 0 || status >= 500;
}

/* Sends until the server answers. Clients 0, 1, 4, 5, … wait for their
 * own server; 2, 3, 6, 7, … move to the other one at the first failure. */
static Reply *
post (Worker     *w,
      int        *home,
      const char *path,
      const char *body)
{
  for (int attempt = 0; attempt < 400; attempt++)
    {
      Reply *r = http (&w->lab->servers[*home], "POST", path, w->lab->tokens[w->client], body,
                       NULL);

      if (!unanswered (r->status))
        return r;
      reply_free (r);
      g_mutex_lock (&w->lab->lock);
      w->lab->retried++;
      w->lab->resubmitted += body != NULL;
      if (w->client / 2 % 2)
        {
          *home = 1 - *home;
          w->lab->moved++;
        }
      g_mutex_unlock (&w->lab->lock);
      g_usleep (50000);
    }
  return NULL;
}

static gpointer
work (gpointer data)
{
  Worker *w = data;
  Lab *lab = w->lab;
  int home = w->client % 2;

  for (int round = 0;; round++)
    {
      g_autoptr (Reply) l = post (w, &home, "/api/v1/lease", NULL);
      g_autoptr (Reply) r = NULL;
      g_autofree char *key = NULL, *body = NULL;
      const char *lease_id;

      if (l && l->status == 204)
        break;
      if (l == NULL || l->status != 200)
        goto failed;
      lease_id = json_string_value (json_object_get (json_object_get (l->json, "lease"), "id"));
      key = g_strdup_printf ("c%02d-%d", w->client, round);
      body = g_strdup_printf ("{\"lease_id\":\"%s\",\"idempotency_key\":\"%s\","
                              "\"lead_time_ms\":900,\"result\":{\"boxes\":[{\"label\":\"coin\","
                              "\"x\":10,\"y\":10,\"w\":50,\"h\":50}]}}", lease_id, key);
      g_mutex_lock (&lab->lock);
      g_ptr_array_add (lab->sent, g_strdup (key));
      g_mutex_unlock (&lab->lock);
      r = post (w, &home, "/api/v1/results", body);
      if (r == NULL || r->status != 200)
        goto failed;
      /* Every tenth answer counts as lost: the same submit again, through
       * the other server, must get the same answer and store nothing new. */
      if (round % 10 == 0)
        {
          int other = 1 - home;
          g_autoptr (Reply) again = post (w, &other, "/api/v1/results", body);

          if (again == NULL || again->status != 200 || !json_equal (again->json, r->json))
            {
              g_clear_pointer (&r, reply_free);
              r = g_steal_pointer (&again);
              goto failed;
            }
        }
      g_mutex_lock (&lab->lock);
      g_ptr_array_add (lab->acked, g_strdup (key));
      lab->acks++;
      g_mutex_unlock (&lab->lock);
      continue;
    failed:
      g_mutex_lock (&lab->lock);
      lab->failures++;
      g_mutex_unlock (&lab->lock);
      g_test_message ("client %d: %ld %s", w->client, r ? r->status : l ? l->status : -1,
                      r ? r->body : l ? l->body : "no answer");
      break;
    }
  return NULL;
}

static int
acks (Lab *lab)
{
  int n;

  g_mutex_lock (&lab->lock);
  n = lab->acks;
  g_mutex_unlock (&lab->lock);
  return n;
}

/* "('k1','k2',…)": the keys are the test's own, letters, digits and '-'. */
static char *
sql_list (GPtrArray *keys)
{
  GString *s = g_string_new ("(''");

  for (guint i = 0; i < keys->len; i++)
    g_string_append_printf (s, ",'%s'", (char *) keys->pdata[i]);
  g_string_append_c (s, ')');
  return g_string_free (s, FALSE);
}

static void
test_kill_restart (void)
{
  Lab lab = { 0 };
  Worker workers[CLIENTS];
  GThread *threads[CLIENTS];
  Server *killed;
  g_autofree char *port = NULL, *listen = NULL, *acked = NULL, *sent = NULL, *sql = NULL;
  gint64 start, down;
  const char *db;

  lab_set_up (&lab);
  killed = &lab.servers[0];
  port = g_strdup (strrchr (killed->url, ':') + 1);
  listen = g_strdup_printf ("127.0.0.1:%s", port);
  start = g_get_monotonic_time ();
  for (int i = 0; i < CLIENTS; i++)
    {
      workers[i] = (Worker) { &lab, i };
      threads[i] = g_thread_new ("client", work, &workers[i]);
    }
  while (acks (&lab) < CYCLES / 2)
    g_usleep (2000);
  /* Half-way, with requests in flight: no chance to finish anything. */
  server_kill (killed, SIGKILL);
  down = g_get_monotonic_time ();
  g_usleep (300000);
  start_on (killed, listen);
  g_test_message ("killed the server on port %s after %d results; back after %.0f ms", port,
                  acks (&lab), (g_get_monotonic_time () - down) / 1000.0);
  for (int i = 0; i < CLIENTS; i++)
    g_thread_join (threads[i]);
  g_test_message ("%d results acknowledged to %d clients in %.1f s; %d requests retried"
                  " (%d submits), %d of them on the other server", lab.acks, CLIENTS,
                  (g_get_monotonic_time () - start) / 1e6, lab.retried, lab.resubmitted,
                  lab.moved);
  g_assert_cmpint (lab.failures, ==, 0);
  g_assert_cmpint (lab.acks, ==, CYCLES);

  db = killed->db;
  /* No task held or done by more people than its overlap. */
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM (SELECT l.task_seq FROM leases l"
                                    " JOIN tasks t ON t.seq = l.task_seq WHERE l.state IN"
                                    " ('active', 'done') GROUP BY l.task_seq, t.overlap"
                                    " HAVING count(DISTINCT l.user_id) > t.overlap) AS over",
                                NULL), ==, 0);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM (SELECT r.task_seq FROM results r"
                                    " JOIN tasks t ON t.seq = r.task_seq GROUP BY r.task_seq,"
                                    " t.overlap HAVING count(*) <> t.overlap) AS off", NULL), ==, 0);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM (SELECT 1 FROM results GROUP BY"
                                    " task_seq, user_id HAVING count(*) > 1) AS twice", NULL),
                   ==, 0);
  /* Every acknowledged result once; nothing that no client sent. */
  acked = sql_list (lab.acked);
  sent = sql_list (lab.sent);
  sql = g_strdup_printf ("SELECT count(*) FROM results WHERE idempotency_key IN %s", acked);
  g_assert_cmpint (test_db_int (db, sql, NULL), ==, CYCLES);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(DISTINCT idempotency_key) FROM results"
                         " WHERE idempotency_key IN %s", acked);
  g_assert_cmpint (test_db_int (db, sql, NULL), ==, CYCLES);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM results WHERE idempotency_key NOT IN %s", sent);
  g_assert_cmpint (test_db_int (db, sql, NULL), ==, 0);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM results", NULL), ==, CYCLES);
  lab_tear_down (&lab);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("ANNOLAB_TEST_PG_HOST") == NULL)
    {
      g_test_skip ("several servers share a PostgreSQL database only (tests/with-postgres.sh)");
      return g_test_run ();
    }
  curl_global_init (CURL_GLOBAL_DEFAULT);
  g_test_add_func ("/servers/kill-restart", test_kill_restart);
  return g_test_run ();
}
