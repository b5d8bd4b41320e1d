/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two annolab-queue servers on one PostgreSQL database share the work:
 * many clients on both never get a task beyond its overlap, a submit sent
 * to both is stored once, and a coach on one sees a participant who works
 * through the other. Run by with-postgres.sh. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "server-harness.h"
#include "test-db.h"

#define TASKS 60
#define CLIENTS 8

typedef struct
{
  Server a, b;
  char *tokens[CLIENTS];
  char *kim;
} Lab;

static void
lab_set_up (Lab          *lab,
            gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("annolab-servers-XXXXXX", NULL);
  g_autofree char *tasks = g_build_filename (dir, "tasks.jsonl", NULL);
  g_autofree char *src = g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "data", "demo",
                                           "images", "coins.png", NULL);
  g_autofree char *img = g_build_filename (dir, "coins.png", NULL);
  g_autofree char *bytes = NULL;
  g_autofree char *db = harness_db (dir);
  g_autoptr (GString) text = g_string_new (NULL);
  gsize length;

  g_assert_true (g_file_get_contents (src, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (img, bytes, length, NULL));
  /* Every third task wants two people. */
  for (int i = 0; i < TASKS; i++)
    g_string_append_printf (text, "{\"id\":\"t%02d\",\"kind\":\"bbox\",\"image\":\"coins.png\","
                                  "\"labels\":[\"coin\"],\"overlap\":%d}\n", i, i % 3 ? 1 : 2);
  g_assert_true (g_file_set_contents (tasks, text->str, -1, NULL));
  g_free (harness_run (db, "import", tasks, NULL));
  g_free (harness_run (db, "set", "gold_share", "0", NULL));
  for (int i = 0; i < CLIENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%d", i);
      lab->tokens[i] = harness_run (db, "user", "add", name, "--role", "participant", "--group",
                                    "a", NULL);
    }
  lab->kim = harness_run (db, "user", "add", "kim", "--role", "coach", "--group", "a", NULL);
  server_start (&lab->a, dir);
  /* The same folder, so the same database; another process and port. */
  lab->b.dir = g_strdup (dir);
  lab->b.db = harness_db (dir);
  server_start (&lab->b, dir);
}

static void
lab_tear_down (Lab          *lab,
               gconstpointer data)
{
  server_kill (&lab->b, SIGTERM);
  g_clear_pointer (&lab->b.dir, g_free);
  g_clear_pointer (&lab->b.db, g_free);
  g_clear_pointer (&lab->b.url, g_free);
  server_cleanup (&lab->a);
  for (int i = 0; i < CLIENTS; i++)
    g_free (lab->tokens[i]);
  g_free (lab->kim);
}

typedef struct
{
  Lab *lab;
  int client;
  int submitted;
  int failures;
} Worker;

static char *
submit_body (const char *lease_id,
             const char *key)
{
  return g_strdup_printf ("{\"lease_id\":\"%s\",\"idempotency_key\":\"%s\",\"lead_time_ms\":900,"
                          "\"result\":{\"boxes\":[{\"label\":\"coin\",\"x\":10,\"y\":10,\"w\":50,"
                          "\"h\":50}]}}", lease_id, key);
}

/* Leases from one server and submits to the other, alternately, until
 * there is nothing left for this participant. */
static gpointer
work (gpointer data)
{
  Worker *w = data;
  const char *token = w->lab->tokens[w->client];

  for (int round = 0;; round++)
    {
      Server *from = (round + w->client) % 2 ? &w->lab->a : &w->lab->b;
      Server *to = from == &w->lab->a ? &w->lab->b : &w->lab->a;
      g_autoptr (Reply) l = http (from, "POST", "/api/v1/lease", token, NULL, NULL);
      g_autoptr (Reply) r = NULL;
      g_autofree char *key = NULL, *body = NULL;
      const char *lease_id;

      if (l->status == 204)
        break;
      if (l->status != 200)
        {
          w->failures++;
          break;
        }
      lease_id = json_string_value (json_object_get (json_object_get (l->json, "lease"), "id"));
      key = g_strdup_printf ("c%d-%d", w->client, round);
      body = submit_body (lease_id, key);
      r = http (to, "POST", "/api/v1/results", token, body, NULL);
      if (r->status == 200)
        w->submitted++;
      else
        w->failures++;
    }
  return NULL;
}

static void
test_shared_work (Lab          *lab,
                  gconstpointer data)
{
  Worker workers[CLIENTS];
  GThread *threads[CLIENTS];
  int total = 0, wanted = 0;

  for (int i = 0; i < TASKS; i++)
    wanted += i % 3 ? 1 : 2;
  for (int i = 0; i < CLIENTS; i++)
    {
      workers[i] = (Worker) { lab, i, 0, 0 };
      threads[i] = g_thread_new ("client", work, &workers[i]);
    }
  for (int i = 0; i < CLIENTS; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpint (workers[i].failures, ==, 0);
      total += workers[i].submitted;
    }
  g_test_message ("%d results from %d clients on two servers", total, CLIENTS);
  /* Every task got exactly the people its overlap asks, none more. */
  g_assert_cmpint (total, ==, wanted);
  g_assert_cmpint (test_db_int (lab->a.db, "SELECT count(*) FROM results", NULL), ==, wanted);
  g_assert_cmpint (test_db_int (lab->a.db, "SELECT count(*) FROM (SELECT r.task_seq FROM results r"
                                           " JOIN tasks t ON t.seq = r.task_seq GROUP BY"
                                           " r.task_seq, t.overlap HAVING count(*) <> t.overlap)"
                                           " AS off", NULL), ==, 0);
  g_assert_cmpint (test_db_int (lab->a.db, "SELECT count(*) FROM (SELECT 1 FROM results GROUP BY"
                                           " task_seq, user_id HAVING count(*) > 1) AS twice",
                                NULL), ==, 0);
}

/* The same submit to both servers is one result, answered alike. */
static void
test_idempotent_across (Lab          *lab,
                        gconstpointer data)
{
  g_autoptr (Reply) l = http (&lab->a, "POST", "/api/v1/lease", lab->tokens[0], NULL, NULL);
  const char *lease_id;
  g_autofree char *body = NULL;

  g_assert_cmpint (l->status, ==, 200);
  lease_id = json_string_value (json_object_get (json_object_get (l->json, "lease"), "id"));
  body = submit_body (lease_id, "same");
  {
    g_autoptr (Reply) one = http (&lab->a, "POST", "/api/v1/results", lab->tokens[0], body, NULL);
    g_autoptr (Reply) two = http (&lab->b, "POST", "/api/v1/results", lab->tokens[0], body, NULL);
    g_assert_cmpint (one->status, ==, 200);
    g_assert_cmpint (two->status, ==, 200);
    g_assert_true (json_equal (one->json, two->json));
  }
  g_assert_cmpint (test_db_int (lab->a.db, "SELECT count(*) FROM results WHERE idempotency_key = ?",
                                "same"), ==, 1);
}

static const char *
state_of (Reply      *list,
          const char *name)
{
  size_t i;
  json_t *p;

  json_array_foreach (json_object_get (list->json, "participants"), i, p)
    if (g_strcmp0 (json_string_value (json_object_get (p, "name")), name) == 0)
      return json_string_value (json_object_get (p, "state"));
  return NULL;
}

/* A participant on server B, the coach on server A: within 2 s. */
static void
test_live_across (Lab          *lab,
                  gconstpointer data)
{
  const char *event = "{\"type\":\"block_start\",\"block\":1,\"blocks\":4}";
  const char *pause = "{\"type\":\"pause_start\"}";
  gint64 start, seen = -1;

  {
    g_autoptr (Reply) before = http (&lab->a, "GET", "/api/v1/participants", lab->kim, NULL, NULL);
    g_assert_cmpstr (state_of (before, "p3"), ==, "offline");
  }
  start = g_get_monotonic_time ();
  {
    g_autoptr (Reply) r = http (&lab->b, "POST", "/api/v1/events", lab->tokens[3], event, NULL);
    g_assert_cmpint (r->status, ==, 200);
  }
  while (g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC)
    {
      g_autoptr (Reply) list = http (&lab->a, "GET", "/api/v1/participants", lab->kim, NULL, NULL);
      if (g_strcmp0 (state_of (list, "p3"), "working") == 0)
        {
          seen = g_get_monotonic_time () - start;
          break;
        }
      g_usleep (10000);
    }
  g_test_message ("the coach on A saw the participant on B working after %.1f ms",
                  seen / 1000.0);
  g_assert_cmpint (seen, >=, 0);
  /* And the other way round. */
  {
    g_autoptr (Reply) r = http (&lab->a, "POST", "/api/v1/events", lab->tokens[3], pause, NULL);
    g_assert_cmpint (r->status, ==, 200);
  }
  start = g_get_monotonic_time ();
  seen = -1;
  while (g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC)
    {
      g_autoptr (Reply) list = http (&lab->b, "GET", "/api/v1/participants", lab->kim, NULL, NULL);
      if (g_strcmp0 (state_of (list, "p3"), "pause") == 0)
        {
          seen = g_get_monotonic_time () - start;
          break;
        }
      g_usleep (10000);
    }
  g_assert_cmpint (seen, >=, 0);
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
  g_test_add ("/servers/shared-work", Lab, NULL, lab_set_up, test_shared_work, lab_tear_down);
  g_test_add ("/servers/idempotent-across", Lab, NULL, lab_set_up, test_idempotent_across,
              lab_tear_down);
  g_test_add ("/servers/live-across", Lab, NULL, lab_set_up, test_live_across, lab_tear_down);
  return g_test_run ();
}
