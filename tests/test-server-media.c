/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real annolab-queue serves only the dataset's own media, never the
 * database, and an admin command beside a running server loses nothing. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include <sqlite3.h>

#include "server-harness.h"
#include "test-db.h"

typedef struct
{
  Server s;
  char *outside;   /* a folder no import registered */
  char *ann, *kim; /* a participant and a coach */
  GPtrArray *acked;
} Lab;

static void
copy_demo (const char *from,
           const char *to)
{
  g_autofree char *src = g_build_filename (g_getenv ("ANNOLAB_SOURCE_ROOT"), "data", "demo", from,
                                           NULL);
  g_autofree char *bytes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (src, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (to, bytes, length, NULL));
}

#define sql test_db_exec
#define count test_db_int

static void
lab_set_up (Lab          *lab,
            gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("annolab-media-server-XXXXXX", NULL);
  g_autofree char *tasks = g_build_filename (dir, "tasks.jsonl", NULL);
  g_autofree char *img = g_build_filename (dir, "coins.png", NULL);
  g_autofree char *far = NULL;
  g_autoptr (GString) text = g_string_new (NULL);

  lab->outside = g_dir_make_tmp ("annolab-outside-XXXXXX", NULL);
  far = g_build_filename (lab->outside, "horse.png", NULL);
  copy_demo ("images/coins.png", img);
  copy_demo ("images/horse.png", far);
  for (int i = 0; i < 60; i++)
    g_string_append_printf (text, "{\"id\":\"t%02d\",\"kind\":\"bbox\",\"image\":\"coins.png\","
                                  "\"labels\":[\"coin\"]}\n", i);
  g_assert_true (g_file_set_contents (tasks, text->str, -1, NULL));
  lab->s.dir = g_strdup (dir);
  lab->s.db = harness_db (dir);
  g_free (harness_run (lab->s.db, "import", tasks, NULL));
  g_free (harness_run (lab->s.db, "set", "gold_share", "0", NULL));
  lab->ann = harness_run (lab->s.db, "user", "add", "ann", "--role", "participant", NULL);
  lab->kim = harness_run (lab->s.db, "user", "add", "kim", "--role", "coach", NULL);
  lab->acked = g_ptr_array_new_with_free_func (g_free);
}

static void
lab_tear_down (Lab          *lab,
               gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", lab->outside);
  server_cleanup (&lab->s);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (lab->outside);
  g_free (lab->ann);
  g_free (lab->kim);
  g_ptr_array_unref (lab->acked);
}

/* Leases and answers @n tasks as ann; keeps the keys the server acknowledged. */
static void
submit_some (Lab *lab,
             int  n)
{
  for (int i = 0; i < n; i++)
    {
      g_autoptr (Reply) l = http (&lab->s, "POST", "/api/v1/lease", lab->ann, NULL, NULL);
      g_autoptr (Reply) r = NULL;
      g_autofree char *key = g_strdup_printf ("key-%u", lab->acked->len);
      g_autofree char *body = NULL;

      g_assert_cmpint (l->status, ==, 200);
      body = g_strdup_printf ("{\"lease_id\":\"%s\",\"idempotency_key\":\"%s\","
                              "\"lead_time_ms\":900,\"result\":{\"boxes\":[{\"label\":\"coin\",\"x\":1,\"y\":1,\"w\":5,"
                              "\"h\":5}]}}", json_string_value (json_object_get (
                                json_object_get (l->json, "lease"), "id")), key);
      r = http (&lab->s, "POST", "/api/v1/results", lab->ann, body, NULL);
      g_assert_cmpint (r->status, ==, 200);
      if (r->status == 200)
        g_ptr_array_add (lab->acked, g_steal_pointer (&key));
    }
}

/* Media rows no import would make now, as a database from before could
 * hold them: the database and its WAL files by name, by hard link and by
 * symlink, a system file, and a file in a folder nobody registered. */
static const char *const crafted[] = { "lab.db", "lab.db-wal", "lab.db-shm", "copy.png",
                                       "snap.png", "/etc/passwd", NULL };

static void
add_crafted_media (Lab *lab)
{
  g_autofree char *copy = g_build_filename (lab->s.dir, "copy.png", NULL);
  g_autofree char *snap = g_build_filename (lab->s.dir, "snap.png", NULL);
  g_autofree char *far = g_build_filename (lab->outside, "horse.png", NULL);

  /* On PostgreSQL no database file is there to reach: only the others. */
  if (!test_db_is_postgres (lab->s.db))
    {
      g_assert_cmpint (link (lab->s.db, copy), ==, 0);
      g_assert_cmpint (symlink (lab->s.db, snap), ==, 0);
    }
  for (int i = 0; crafted[i]; i++)
    {
      if (!g_path_is_absolute (crafted[i]) && test_db_is_postgres (lab->s.db))
        continue;
      g_autofree char *path = g_path_is_absolute (crafted[i])
                                ? g_strdup (crafted[i])
                                : g_build_filename (lab->s.dir, crafted[i], NULL);
      g_autofree char *stmt = g_strdup_printf ("INSERT INTO media(id, path) VALUES (%d, '%s')",
                                               100 + i, path);
      sql (lab->s.db, stmt);
    }
  {
    g_autofree char *stmt = g_strdup_printf ("INSERT INTO media(id, path) VALUES (200, '%s')", far);
    sql (lab->s.db, stmt);
  }
}

static void
expect_refused (Lab        *lab,
                int         id,
                const char *what)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/media/%d", id);
  g_autoptr (Reply) r = http (&lab->s, "GET", path, lab->kim, NULL, NULL);

  g_test_message ("GET %s (%s): %ld", path, what, r->status);
  g_assert_cmpint (r->status, ==, 403);
  g_assert_false (g_str_has_prefix (r->body, "SQLite format 3"));
  g_assert_null (strstr (r->body, "root:"));
}

/* The sequence that lost 50 acknowledged results: a server running, the
 * database requested as media, an admin command on the same file, more
 * submits, SIGKILL, restart. */
static void
test_lost_wal_sequence (Lab          *lab,
                        gconstpointer data)
{
  g_autoptr (Reply) own = NULL;

  add_crafted_media (lab);
  server_start (&lab->s, lab->s.dir);
  submit_some (lab, 20);

  own = http (&lab->s, "GET", "/api/v1/media/1", lab->kim, NULL, NULL);
  g_assert_cmpint (own->status, ==, 200);
  for (int i = 0; crafted[i]; i++)
    if (g_path_is_absolute (crafted[i]) || !test_db_is_postgres (lab->s.db))
      expect_refused (lab, 100 + i, crafted[i]);
  g_assert_true (test_db_is_postgres (lab->s.db) || g_file_test (lab->s.db, G_FILE_TEST_EXISTS));
  expect_refused (lab, 200, "a folder no import registered");

  g_free (harness_run (lab->s.db, "user", "add", "bob", "--role", "participant", NULL));
  g_free (harness_run (lab->s.db, "set", "lease_seconds", "900", NULL));
  g_free (harness_run (lab->s.db, "stats", NULL));
  submit_some (lab, 30);

  server_kill (&lab->s, SIGKILL);
  server_start (&lab->s, lab->s.dir);
  g_assert_cmpuint (lab->acked->len, ==, 50);
  for (guint i = 0; i < lab->acked->len; i++)
    {
      gint64 n = count (lab->s.db, "SELECT count(*) FROM results WHERE idempotency_key = ?",
                        lab->acked->pdata[i]);
      if (n != 1)
        g_test_message ("%s is there %" G_GINT64_FORMAT " times", (char *) lab->acked->pdata[i], n);
      g_assert_cmpint (n, ==, 1);
    }
  g_assert_cmpint (count (lab->s.db, "SELECT count(*) FROM results", NULL), ==, 50);
}

#define KILL_WORKERS 8

typedef struct
{
  Lab *lab;
  char *token;
  GPtrArray *acked;
  int id;
  gint *total;
} Worker;

static gpointer
work_until_killed (gpointer data)
{
  Worker *w = data;

  for (int i = 0;; i++)
    {
      g_autoptr (Reply) l = http (&w->lab->s, "POST", "/api/v1/lease", w->token, NULL, NULL);
      g_autoptr (Reply) r = NULL;
      g_autofree char *key = g_strdup_printf ("w%d-%d", w->id, i);
      g_autofree char *body = NULL;
      const char *lease = json_string_value (json_object_get (json_object_get (l->json, "lease"),
                                                              "id"));

      if (l->status != 200 || lease == NULL)
        break;
      body = g_strdup_printf ("{\"lease_id\":\"%s\",\"idempotency_key\":\"%s\","
                              "\"lead_time_ms\":900,\"result\":{\"boxes\":[{\"label\":\"coin\","
                              "\"x\":1,\"y\":1,\"w\":5,\"h\":5}]}}", lease, key);
      r = http (&w->lab->s, "POST", "/api/v1/results", w->token, body, NULL);
      if (r->status != 200)
        break;
      g_ptr_array_add (w->acked, g_steal_pointer (&key));
      g_atomic_int_inc (w->total);
    }
  return NULL;
}

/* Participants submitting at the same time share transactions; the
 * server is SIGKILLed while they do: every result it acknowledged is in
 * the file afterwards, once. */
static void
test_concurrent_kill (Lab          *lab,
                      gconstpointer data)
{
  Worker workers[KILL_WORKERS] = { 0 };
  GThread *threads[KILL_WORKERS];
  gint total = 0;
  guint acked = 0;

  for (int i = 0; i < KILL_WORKERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%d", i);
      workers[i].lab = lab;
      workers[i].id = i;
      workers[i].total = &total;
      workers[i].acked = g_ptr_array_new_with_free_func (g_free);
      workers[i].token = harness_run (lab->s.db, "user", "add", name, "--role", "participant",
                                      NULL);
    }
  server_start (&lab->s, lab->s.dir);
  for (int i = 0; i < KILL_WORKERS; i++)
    threads[i] = g_thread_new ("participant", work_until_killed, &workers[i]);
  for (int waited = 0; g_atomic_int_get (&total) < 20 && waited < 200; waited++)
    g_usleep (50 * 1000);
  server_kill (&lab->s, SIGKILL);
  for (int i = 0; i < KILL_WORKERS; i++)
    g_thread_join (threads[i]);

  server_start (&lab->s, lab->s.dir);
  for (int i = 0; i < KILL_WORKERS; i++)
    {
      for (guint k = 0; k < workers[i].acked->len; k++)
        g_assert_cmpint (count (lab->s.db, "SELECT count(*) FROM results WHERE idempotency_key = ?",
                                workers[i].acked->pdata[k]), ==, 1);
      acked += workers[i].acked->len;
      g_ptr_array_unref (workers[i].acked);
      g_free (workers[i].token);
    }
  g_test_message ("%u results acknowledged before the kill, %" G_GINT64_FORMAT " in the file",
                  acked, count (lab->s.db, "SELECT count(*) FROM results", NULL));
  g_assert_cmpuint (acked, >=, 20);
  g_assert_cmpint (count (lab->s.db, "SELECT count(*) FROM results", NULL), >=, acked);
}

/* The admin command alone: another process that has lost its POSIX locks
 * on the file (as closing any descriptor of it does) still has its WAL
 * afterwards. A child stands for the server and ends as SIGKILL would. */
static void
test_cli_keeps_wal (Lab          *lab,
                    gconstpointer data)
{
  pid_t child;
  int status = 0;

  if (test_db_is_postgres (lab->s.db))
    {
      g_test_skip ("SQLite's WAL file only");
      return;
    }
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      sqlite3 *conn = NULL;
      if (sqlite3_open (lab->s.db, &conn) != SQLITE_OK ||
          sqlite3_exec (conn, "PRAGMA journal_mode=WAL;"
                              "INSERT INTO meta(key, value) VALUES ('before', '1')", NULL, NULL,
                        NULL) != SQLITE_OK)
        _exit (2);
      close (open (lab->s.db, O_RDONLY));
      g_free (harness_run (lab->s.db, "set", "lease_seconds", "600", NULL));
      if (sqlite3_exec (conn, "INSERT INTO meta(key, value) VALUES ('after', '1')", NULL, NULL,
                        NULL) != SQLITE_OK)
        _exit (3);
      _exit (0);
    }
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpint (count (lab->s.db, "SELECT count(*) FROM meta WHERE key = ?", "before"), ==, 1);
  g_assert_cmpint (count (lab->s.db, "SELECT count(*) FROM meta WHERE key = ?", "after"), ==, 1);
  g_assert_cmpint (count (lab->s.db, "SELECT value FROM meta WHERE key = ?", "lease_seconds"), ==,
                   600);
}

/* A database from before imports recorded their folders serves no media
 * until the administrator names the folder. */
static void
test_old_database (Lab          *lab,
                   gconstpointer data)
{
  g_autoptr (Reply) before = NULL;
  g_autoptr (Reply) after = NULL;
  g_autofree char *out = NULL;

  sql (lab->s.db, "DELETE FROM media_roots");
  add_crafted_media (lab);
  server_start (&lab->s, lab->s.dir);
  before = http (&lab->s, "GET", "/api/v1/media/1", lab->kim, NULL, NULL);
  g_assert_cmpint (before->status, ==, 403);
  out = harness_run (lab->s.db, "media-root", lab->s.dir, NULL);
  g_assert_true (g_str_has_prefix (out, "the server may serve media from "));
  after = http (&lab->s, "GET", "/api/v1/media/1", lab->kim, NULL, NULL);
  g_assert_cmpint (after->status, ==, 200);
  g_assert_true (g_str_has_prefix (after->body, "\x89PNG"));
  /* The database in that folder stays out of reach. */
  if (!test_db_is_postgres (lab->s.db))
    {
      expect_refused (lab, 100, "lab.db");
      expect_refused (lab, 104, "copy.png");
    }
  expect_refused (lab, 105, "/etc/passwd");
}

#define ADD(path, fn) g_test_add (path, Lab, NULL, lab_set_up, fn, lab_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every refusal and every lost result is reported, not only the first. */
  g_test_set_nonfatal_assertions ();
  curl_global_init (CURL_GLOBAL_DEFAULT);
  ADD ("/server-media/lost-wal-sequence", test_lost_wal_sequence);
  ADD ("/server-media/cli-keeps-wal", test_cli_keeps_wal);
  ADD ("/server-media/concurrent-kill", test_concurrent_kill);
  ADD ("/server-media/old-database", test_old_database);
  return g_test_run ();
}
