/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "al-jsonl.h"
#include "al-store.h"
#include "test-db.h"

typedef struct
{
  char *dir;
  char *db;
  AlStore *store;
  gint64 now;
} Fixture;

static gint64
fake_clock (gpointer data)
{
  return ((Fixture *) data)->now;
}

static void
write_file (const char *path,
            const char *text)
{
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("annolab-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "queue.db", NULL);
  f->store = al_store_open (f->db, &error);
  g_assert_no_error (error);
  f->now = 1700000000000;
  al_store_set_clock (f->store, fake_clock, f);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_pointer (&f->store, al_store_unref);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->db);
  g_free (f->dir);
}

static const char tasks_jsonl[] =
  "{\"id\":\"b1\",\"kind\":\"bbox\",\"image\":\"img/a.png\",\"labels\":[\"coin\",\"cup\"],"
  "\"instructions\":{\"nl\":\"Teken een box\",\"en\":\"Draw a box\"}}\n"
  "\n"
  "{\"id\":\"t1\",\"kind\":\"transcribe\",\"audio\":\"/abs/a.wav\",\"start\":1.5,\"end\":4,"
  "\"language\":\"en\",\"gold\":{\"text\":\"hello\"}}\n"
  "{\"id\":\"b2\",\"kind\":\"bbox\",\"image\":\"img/b.png\",\"labels\":[\"coin\"],\"overlap\":2,"
  "\"gold\":{\"boxes\":[{\"label\":\"coin\",\"x\":1,\"y\":2,\"w\":3,\"h\":4}]}}\n"
  "{\"id\":\"b3\",\"kind\":\"bbox\",\"image\":\"img/c.png\",\"labels\":[\"coin\"],\"overlap\":2}\n";

static GPtrArray *
load_tasks (Fixture    *f,
            const char *text)
{
  g_autofree char *path = g_build_filename (f->dir, "tasks.jsonl", NULL);
  g_autoptr (GError) error = NULL;
  GPtrArray *tasks;

  write_file (path, text);
  tasks = al_jsonl_read_tasks (path, &error);
  g_assert_no_error (error);
  return tasks;
}

static void
test_import_resolves_media (Fixture      *f,
                            gconstpointer data)
{
  g_autoptr (GPtrArray) tasks = load_tasks (f, tasks_jsonl);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) b1 = NULL;
  g_autofree char *expected = g_build_filename (f->dir, "img", "a.png", NULL);

  g_assert_cmpuint (tasks->len, ==, 4);
  g_assert_true (al_store_import_tasks (f->store, tasks, "demo", "jsonl", &error));
  g_assert_no_error (error);
  g_assert_cmpint (al_store_count_tasks (f->store), ==, 4);

  b1 = al_store_get_task (f->store, "b1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b1->media, ==, expected);
  g_assert_cmpstr (b1->labels[1], ==, "cup");
  g_assert_cmpstr (al_task_instructions (b1, "en"), ==, "Draw a box");
  g_assert_cmpstr (al_task_instructions (b1, "nl"), ==, "Teken een box");

  /* The same ids again are refused, and nothing of the second import stays. */
  g_assert_false (al_store_import_tasks (f->store, tasks, "again", "jsonl", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_IMPORT);
  g_assert_cmpint (al_store_count_tasks (f->store), ==, 4);
}

static void
test_malformed_names_line (Fixture      *f,
                           gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "bad.jsonl", NULL);
  g_autoptr (GError) error = NULL;
  GPtrArray *tasks;
  const char *cases[][2] = {
    { "{\"id\":\"a\",\"kind\":\"bbox\",\"image\":\"x.png\",\"labels\":[\"c\"]}\n{not json\n",
      "line 2" },
    { "\n\n{\"id\":\"a\",\"kind\":\"video\",\"image\":\"x\"}\n", "line 3" },
    { "{\"id\":\"a\",\"kind\":\"bbox\",\"image\":\"x.png\",\"labels\":[]}\n", "line 1" },
    { "{\"id\":\"a\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"start\":5,\"end\":2}\n",
      "line 1" },
    { "{\"id\":\"a\",\"kind\":\"bbox\",\"image\":\"x.png\",\"labels\":[\"c\"],"
      "\"gold\":{\"boxes\":[{\"label\":\"dog\",\"x\":0,\"y\":0,\"w\":1,\"h\":1}]}}\n", "line 1" },
    { "{\"id\":\"a\",\"kind\":\"bbox\",\"image\":\"x.png\",\"labels\":[\"c\"]}\n"
      "{\"id\":\"a\",\"kind\":\"bbox\",\"image\":\"x.png\",\"labels\":[\"c\"]}\n", "line 2" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      write_file (path, cases[i][0]);
      tasks = al_jsonl_read_tasks (path, &error);
      g_assert_null (tasks);
      g_assert_error (error, AL_TASK_ERROR, AL_TASK_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i][1]));
      g_assert_nonnull (strstr (error->message, "bad.jsonl"));
      g_clear_error (&error);
    }
}

static json_t *
box_result (const char *label)
{
  return json_pack ("{s:[{s:s,s:f,s:f,s:f,s:f}]}", "boxes", "label", label, "x", 1.0, "y", 2.0,
                    "w", 3.0, "h", 4.0);
}

static void
test_lease_submit_cycle (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr (GPtrArray) tasks = load_tasks (f, tasks_jsonl);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) ann = NULL;
  g_autoptr (AlUser) bob = NULL;
  g_autoptr (AlTask) t = NULL;
  g_autoptr (AlTask) again = NULL;
  g_autoptr (json_t) r1 = NULL;
  g_autoptr (json_t) r2 = NULL;
  g_autoptr (json_t) result = box_result ("coin");

  g_assert_true (al_store_set_meta (f->store, "gold_share", "0", &error));
  g_assert_true (al_store_import_tasks (f->store, tasks, "demo", "jsonl", &error));
  ann = al_store_ensure_user (f->store, "ann", "participant", NULL, &error);
  bob = al_store_ensure_user (f->store, "bob", "participant", NULL, &error);
  g_assert_no_error (error);

  t = al_store_lease (f->store, ann, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t->id, ==, "b1");
  g_assert_cmpint (t->number_today, ==, 1);

  /* Asking again returns the same task on the same lease. */
  again = al_store_lease (f->store, ann, &error);
  g_assert_cmpstr (again->id, ==, "b1");
  g_assert_cmpstr (again->lease_id, ==, t->lease_id);

  /* A result that names a label the task does not have is refused. */
  {
    g_autoptr (json_t) bad = box_result ("dog");
    g_assert_null (al_store_submit (f->store, ann, t->lease_id, "k0", bad, 10, &error));
    g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  r1 = al_store_submit (f->store, ann, t->lease_id, "k1", result, 1234, &error);
  g_assert_no_error (error);
  r2 = al_store_submit (f->store, ann, t->lease_id, "k1", result, 1234, &error);
  g_assert_no_error (error);
  g_assert_true (json_equal (r1, r2));
  g_assert_cmpint (al_store_count_results (f->store, ann->id), ==, 1);

  /* Someone else may not submit on ann's lease. */
  g_assert_null (al_store_submit (f->store, bob, t->lease_id, "k2", result, 1, &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* Overlap 1: bob never gets b1; b3 (overlap 2) goes to both. */
  g_clear_pointer (&t, al_task_unref);
  t = al_store_lease (f->store, bob, &error);
  g_assert_cmpstr (t->id, ==, "b3");
  g_clear_pointer (&again, al_task_unref);
  again = al_store_lease (f->store, ann, &error);
  g_assert_cmpstr (again->id, ==, "b3");
  g_assert_cmpint (again->number_today, ==, 2);
}

/* "Today" starts again at midnight: the task number of a new day is 1,
 * also in a process that has worked out midnight before. */
static void
test_number_today (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr (GPtrArray) tasks = load_tasks (f,
    "{\"id\":\"d1\",\"kind\":\"bbox\",\"image\":\"img/a.png\",\"labels\":[\"coin\"]}\n"
    "{\"id\":\"d2\",\"kind\":\"bbox\",\"image\":\"img/b.png\",\"labels\":[\"coin\"]}\n"
    "{\"id\":\"d3\",\"kind\":\"bbox\",\"image\":\"img/c.png\",\"labels\":[\"coin\"]}\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) ann = NULL;
  g_autoptr (json_t) result = box_result ("coin");
  int expected[] = { 1, 2, 1 };

  g_assert_true (al_store_set_meta (f->store, "gold_share", "0", &error));
  g_assert_true (al_store_import_tasks (f->store, tasks, "demo", "jsonl", &error));
  ann = al_store_ensure_user (f->store, "ann", "participant", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr (AlTask) t = NULL;
      g_autoptr (json_t) answer = NULL;
      g_autofree char *key = g_strdup_printf ("k%u", i);

      if (i == 2)
        f->now += 24 * 3600 * 1000;
      t = al_store_lease (f->store, ann, &error);
      g_assert_no_error (error);
      g_assert_cmpint (t->number_today, ==, expected[i]);
      answer = al_store_submit (f->store, ann, t->lease_id, key, result, 10, &error);
      g_assert_no_error (error);
      f->now += 1000;
    }
}

static gint64
task_done (Fixture    *f,
           const char *id)
{
  g_autoptr (sqlite3) db = test_db_open (al_store_get_path (f->store));
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT done FROM tasks WHERE id = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
test_lease_expiry_and_late_results (Fixture      *f,
                                    gconstpointer data)
{
  g_autoptr (GPtrArray) tasks = load_tasks (
    f, "{\"id\":\"only\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) ann = NULL;
  g_autoptr (AlUser) bob = NULL;
  g_autoptr (AlTask) t = NULL;
  g_autoptr (AlTask) none = NULL;
  g_autoptr (AlTask) t2 = NULL;
  g_autoptr (json_t) r = NULL;
  g_autoptr (json_t) result = json_pack ("{s:s}", "text", "hallo");

  g_assert_true (al_store_import_tasks (f->store, tasks, "d", "jsonl", &error));
  ann = al_store_ensure_user (f->store, "ann", "participant", NULL, &error);
  bob = al_store_ensure_user (f->store, "bob", "participant", NULL, &error);

  t = al_store_lease (f->store, ann, &error);
  g_assert_nonnull (t);
  none = al_store_lease (f->store, bob, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  f->now += 601 * 1000;
  t2 = al_store_lease (f->store, bob, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t2);
  g_assert_cmpstr (t2->id, ==, "only");

  /* Ann's lease expired and the task went to Bob: her late result would
   * be one answer more than the task's overlap. */
  r = al_store_submit (f->store, ann, t->lease_id, "late-1", result, 5, &error);
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_LEASE_GONE);
  g_assert_null (r);
  g_clear_error (&error);
  r = al_store_submit (f->store, bob, t2->lease_id, "bob-1", result, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (task_done (f, "only"), ==, 1);
  g_clear_pointer (&r, json_decref);

  /* Bob's next lease expires with nobody else on the task: still counted. */
  {
    g_autoptr (GPtrArray) more = load_tasks (
      f, "{\"id\":\"two\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n");
    g_autoptr (AlTask) t3 = NULL;
    g_assert_true (al_store_import_tasks (f->store, more, "d2", "jsonl", &error));
    t3 = al_store_lease (f->store, bob, &error);
    g_assert_cmpstr (t3->id, ==, "two");
    f->now += 601 * 1000;
    r = al_store_submit (f->store, bob, t3->lease_id, "bob-2", result, 5, &error);
    g_assert_no_error (error);
    g_assert_true (json_is_true (json_object_get (r, "late")));
    g_assert_cmpint (task_done (f, "two"), ==, 1);
  }
}

static void
test_gold_share (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GPtrArray) tasks = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) ann = NULL;
  g_autoptr (json_t) result = json_pack ("{s:s}", "text", "x");
  int gold = 0;

  for (int i = 0; i < 40; i++)
    g_string_append_printf (text, "{\"id\":\"n%d\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n",
                            i);
  for (int i = 0; i < 10; i++)
    g_string_append_printf (text, "{\"id\":\"g%d\",\"kind\":\"transcribe\",\"audio\":\"a.wav\","
                                  "\"gold\":{\"text\":\"x\"}}\n", i);
  tasks = load_tasks (f, text->str);
  g_assert_true (al_store_import_tasks (f->store, tasks, "d", "jsonl", &error));
  g_assert_true (al_store_set_meta (f->store, "gold_share", "0.2", &error));
  ann = al_store_ensure_user (f->store, "ann", "participant", NULL, &error);

  for (int i = 0; i < 30; i++)
    {
      g_autoptr (AlTask) t = al_store_lease (f->store, ann, &error);
      g_autofree char *key = g_strdup_printf ("k%d", i);
      g_autoptr (json_t) r = NULL;
      g_assert_no_error (error);
      gold += t->gold != NULL;
      r = al_store_submit (f->store, ann, t->lease_id, key, result, 1, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (gold, ==, 6);
}

static void
test_tokens (Fixture      *f,
             gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr (AlUser) coach = al_store_add_user (f->store, "Coach Kim", "coach", "room-a", &token,
                                                &error);
  g_autoptr (AlUser) found = NULL;
  g_autoptr (AlUser) wrong = NULL;
  g_autofree char *tampered = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (coach);
  found = al_store_user_by_token (f->store, token, NULL);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->name, ==, "Coach Kim");
  g_assert_cmpstr (found->group, ==, "room-a");

  tampered = g_strdup (token);
  tampered[strlen (tampered) - 1] = tampered[strlen (tampered) - 1] == 'a' ? 'b' : 'a';
  wrong = al_store_user_by_token (f->store, tampered, NULL);
  g_assert_null (wrong);
  g_assert_null (al_store_user_by_token (f->store, "1.short", NULL));
  g_assert_null (al_store_user_by_token (f->store, "", NULL));

  g_assert_null (al_store_add_user (f->store, "Coach Kim", "coach", NULL, NULL, &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CONFLICT);
}

static void
test_export_and_drafts (Fixture      *f,
                        gconstpointer data)
{
  g_autoptr (GPtrArray) tasks = load_tasks (f, tasks_jsonl);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) ann = NULL;
  g_autoptr (AlTask) t = NULL;
  g_autoptr (json_t) r = NULL;
  g_autoptr (json_t) result = box_result ("cup");
  g_autoptr (json_t) draft = json_pack ("{s:s}", "text", "half");
  g_autoptr (json_t) loaded = NULL;
  g_autoptr (json_t) line = NULL;
  char *buf = NULL;
  size_t len = 0;
  FILE *mem;

  g_assert_true (al_store_import_tasks (f->store, tasks, "d", "jsonl", &error));
  ann = al_store_ensure_user (f->store, "ann", "participant", NULL, &error);
  t = al_store_lease (f->store, ann, &error);
  r = al_store_submit (f->store, ann, t->lease_id, "k", result, 777, &error);
  g_assert_no_error (error);

  mem = open_memstream (&buf, &len);
  g_assert_true (al_store_export_jsonl (f->store, mem, &error));
  fclose (mem);
  line = json_loads (buf, JSON_DISABLE_EOF_CHECK, NULL);
  free (buf);
  g_assert_nonnull (line);
  g_assert_cmpstr (json_string_value (json_object_get (line, "task_id")), ==, "b1");
  g_assert_cmpstr (json_string_value (json_object_get (line, "participant")), ==, "ann");
  g_assert_cmpstr (json_string_value (json_object_get (line, "kind")), ==, "bbox");
  g_assert_cmpint (json_integer_value (json_object_get (line, "lead_time_ms")), ==, 777);
  g_assert_true (json_equal (json_object_get (line, "result"), result));
  g_assert_true (g_str_has_suffix (json_string_value (json_object_get (line, "submitted_at")), "Z"));

  g_assert_true (al_store_save_draft (f->store, "t1", draft, &error));
  loaded = al_store_load_draft (f->store, "t1");
  g_assert_true (json_equal (loaded, draft));
  g_assert_true (al_store_clear_draft (f->store, "t1", &error));
  g_assert_null (al_store_load_draft (f->store, "t1"));
}

static void
test_damaged_files (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *junk = g_build_filename (f->dir, "junk.db", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *ro_dir = g_build_filename (f->dir, "ro", NULL);
  g_autofree char *ro = g_build_filename (ro_dir, "q.db", NULL);
  g_autofree char *contents = NULL;
  AlStore *store;
  sqlite3 *db;

  write_file (junk, "this is not a database at all, but it is long enough to look like one....");
  store = al_store_open (junk, &error);
  g_assert_null (store);
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "junk.db"));
  g_clear_error (&error);
  /* Left exactly as it was: not reset. */
  g_assert_true (g_file_get_contents (junk, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "this is not a database"));

  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE x(a)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = al_store_open (other, &error);
  g_assert_null (store);
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  if (geteuid () != 0)
    {
      g_assert_cmpint (g_mkdir (ro_dir, 0500), ==, 0);
      store = al_store_open (ro, &error);
      g_assert_null (store);
      g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_READONLY);
    }
}

#define WRITERS 24

typedef struct
{
  AlStore *store;
  AlUser *user;
  char *lease_id;
  json_t *reply;
  GError *error;
} Submitter;

static gpointer
submit_thread (gpointer data)
{
  Submitter *s = data;
  g_autoptr (json_t) result = box_result ("coin");

  s->reply = al_store_submit (s->store, s->user, s->lease_id, "k", result, 100, &s->error);
  return NULL;
}

/* Submits waiting at the same time share one transaction, each is on
 * disk when it returns, and one that is refused does not take the others
 * with it. */
/* With the writer running, the WAL is copied back into the file as it
 * goes: 3,000 pages written stay in a WAL of about 1,000. (A checkpoint
 * in a thread of its own never caught up with a busy writer, and the WAL
 * only grew.) */
static void
test_wal_checkpointed (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *wal = g_strconcat (f->db, "-wal", NULL);
  g_autofree char *value = g_strnfill (40 * 1024, 'x');
  GStatBuf st;

  g_assert_true (al_store_start_writer (f->store, &error));
  for (int i = 0; i < 300; i++)
    {
      memset (value, 'a' + i % 26, 40 * 1024);
      g_assert_true (al_store_set_meta (f->store, "filler", value, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_test_message ("WAL after 300 writes of 40 KB: %" G_GINT64_FORMAT " bytes",
                  (gint64) st.st_size);
  /* Unchecked, it would be 300 × 11 pages of 4 KB: 13.5 MB. */
  g_assert_cmpint (st.st_size, <, 8 * 1024 * 1024);
}

/* A file removed or replaced under a running server takes no writes: they
 * would be acknowledged into a file no one can read again. */
static void
test_file_removed (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *moved = g_strconcat (f->db, ".moved", NULL);

  g_assert_true (al_store_start_writer (f->store, &error));
  g_assert_true (al_store_set_meta (f->store, "gold_share", "0.1", &error));
  g_assert_true (al_store_ping (f->store, &error));
  g_assert_cmpint (g_rename (f->db, moved), ==, 0);

  g_assert_false (al_store_set_meta (f->store, "gold_share", "0.2", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "removed or replaced"));
  g_clear_error (&error);
  g_assert_false (al_store_ping (f->store, &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  /* Put back, it is the same file again. */
  g_assert_cmpint (g_rename (moved, f->db), ==, 0);
  g_assert_true (al_store_set_meta (f->store, "gold_share", "0.3", &error));
  g_assert_no_error (error);
}

static void
test_group_commit (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr (GString) jsonl = g_string_new (NULL);
  g_autoptr (GPtrArray) tasks = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3) blocker = NULL;
  Submitter subs[WRITERS + 1] = { 0 };
  GThread *threads[WRITERS + 1];
  gint64 before;

  for (int i = 0; i < WRITERS; i++)
    g_string_append_printf (jsonl, "{\"id\":\"g%d\",\"kind\":\"bbox\",\"image\":\"a.png\","
                            "\"labels\":[\"coin\"]}\n", i);
  tasks = load_tasks (f, jsonl->str);
  g_assert_true (al_store_set_meta (f->store, "gold_share", "0", &error));
  g_assert_true (al_store_import_tasks (f->store, tasks, "demo", "jsonl", &error));
  g_assert_true (al_store_start_writer (f->store, &error));
  g_assert_no_error (error);
  for (int i = 0; i <= WRITERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%d", i);
      g_autoptr (AlTask) t = NULL;

      subs[i].store = f->store;
      subs[i].user = al_store_ensure_user (f->store, name, "participant", NULL, &error);
      g_assert_no_error (error);
      if (i < WRITERS)
        {
          t = al_store_lease (f->store, subs[i].user, &error);
          g_assert_no_error (error);
          subs[i].lease_id = g_strdup (t->lease_id);
        }
      else
        subs[i].lease_id = g_strdup ("no-such-lease");
    }

  /* Another connection holds the write lock until every submit waits. */
  blocker = test_db_open (f->db);
  g_assert_cmpint (sqlite3_exec (blocker, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  before = al_store_count_commits (f->store);
  for (int i = 0; i <= WRITERS; i++)
    threads[i] = g_thread_new ("submit", submit_thread, &subs[i]);
  g_usleep (500 * 1000);
  g_assert_cmpint (sqlite3_exec (blocker, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  for (int i = 0; i <= WRITERS; i++)
    g_thread_join (threads[i]);

  for (int i = 0; i < WRITERS; i++)
    {
      g_assert_no_error (subs[i].error);
      g_assert_nonnull (subs[i].reply);
    }
  g_assert_null (subs[WRITERS].reply);
  g_assert_nonnull (subs[WRITERS].error);
  /* The first submit may have gone alone; the others waited together. */
  g_test_message ("%d submits, %" G_GINT64_FORMAT " commits", WRITERS + 1,
                  al_store_count_commits (f->store) - before);
  g_assert_cmpint (al_store_count_commits (f->store) - before, <=, 3);

  for (int i = 0; i <= WRITERS; i++)
    {
      al_user_free (subs[i].user);
      g_free (subs[i].lease_id);
      json_decref (subs[i].reply);
      g_clear_error (&subs[i].error);
    }
  /* Every acknowledged result is in the file, read again from scratch. */
  g_clear_pointer (&f->store, al_store_unref);
  g_clear_pointer (&blocker, sqlite3_close_v2);
  f->store = al_store_open (f->db, &error);
  g_assert_no_error (error);
  {
    g_autoptr (sqlite3) db = test_db_open (f->db);
    g_autoptr (sqlite3_stmt) stmt = NULL;
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*), count(DISTINCT user_id) FROM results",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, WRITERS);
    g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, WRITERS);
  }
}

static gint64
user_version (const char *path)
{
  g_autoptr (sqlite3) db = test_db_open (path);
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
run_sql (const char *path,
         const char *sql)
{
  g_autoptr (sqlite3) db = test_db_open (path);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

/* A database from before user_version kept its schema version as a meta
 * row: it opens with its tasks and settings, and comes out upgraded. */
static void
test_schema_version (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strdup (al_store_get_path (f->store));
  g_autofree char *gold = NULL;
  AlStore *store;

  g_assert_cmpint (user_version (path), ==, 8);
  g_assert_true (al_store_set_meta (f->store, "gold_share", "0.25", &error));
  g_clear_pointer (&f->store, al_store_unref);

  run_sql (path, "PRAGMA user_version = 0;"
                 "INSERT INTO meta(key, value) VALUES ('schema_version', '1')");
  store = al_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user_version (path), ==, 8);
  g_assert_null (al_store_get_meta (store, "schema_version"));
  gold = al_store_get_meta (store, "gold_share");
  g_assert_cmpstr (gold, ==, "0.25");
  g_free (gold);
  gold = al_store_get_meta (store, "format");
  g_assert_cmpstr (gold, ==, "annolab");
  al_store_unref (store);

  /* Newer, by either mark: refused and left as it is. */
  /* Version 3 had no proposals table: it comes with the upgrade. */
  run_sql (path, "DROP TABLE proposals; PRAGMA user_version = 3");
  store = al_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user_version (path), ==, 8);
  {
    g_autoptr (GPtrArray) rows = al_store_list_proposals (store, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (rows);
  }
  al_store_unref (store);

  run_sql (path, "PRAGMA user_version = 0;"
                 "INSERT INTO meta(key, value) VALUES ('schema_version', '10')");
  g_assert_null (al_store_open (path, &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "schema 10"));
  g_clear_error (&error);
  g_assert_cmpint (user_version (path), ==, 0);

  run_sql (path, "DELETE FROM meta WHERE key = 'schema_version'; PRAGMA user_version = 9");
  g_assert_null (al_store_open (path, &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "schema 9"));
  g_clear_error (&error);

  run_sql (path, "PRAGMA user_version = 0;"
                 "INSERT INTO meta(key, value) VALUES ('schema_version', '1x')");
  g_assert_null (al_store_open (path, &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  run_sql (path, "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  f->store = al_store_open (path, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/store/import-resolves-media", test_import_resolves_media);
  ADD ("/store/malformed-names-line", test_malformed_names_line);
  ADD ("/store/lease-submit-cycle", test_lease_submit_cycle);
  ADD ("/store/number-today", test_number_today);
  ADD ("/store/lease-expiry-late-results", test_lease_expiry_and_late_results);
  ADD ("/store/gold-share", test_gold_share);
  ADD ("/store/tokens", test_tokens);
  ADD ("/store/schema-version", test_schema_version);
  ADD ("/store/group-commit", test_group_commit);
  ADD ("/store/wal-checkpointed", test_wal_checkpointed);
  ADD ("/store/file-removed", test_file_removed);
  ADD ("/store/export-and-drafts", test_export_and_drafts);
  ADD ("/store/damaged-files", test_damaged_files);
#undef ADD

  return g_test_run ();
}
