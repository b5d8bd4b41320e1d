/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the store lets a participant do with leases and results, and what
 * it counts: broken reports, late results, idempotency keys, the lease
 * cap, box coordinates, event bodies, deletion. */
#include "config.h"

#include <string.h>

#include "al-jsonl.h"
#include "al-local-queue.h"
#include "al-store-coach.h"
#include "al-store.h"
#include "al-work-record.h"
#include "test-db.h"

typedef struct
{
  char *dir;
  AlStore *store;
  gint64 now;
  AlUser *ann, *bob;
} Fixture;

static gint64
fake_clock (gpointer data)
{
  return ((Fixture *) data)->now;
}

static void
import (Fixture    *f,
        const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tasks = al_jsonl_parse_tasks (text, strlen (text), "t.jsonl", f->dir,
                                                      &error);
  g_assert_no_error (error);
  g_assert_true (al_store_import_tasks (f->store, tasks, "d", "jsonl", &error));
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = g_dir_make_tmp ("annolab-leases-XXXXXX", &error);
  db = test_db_location (f->dir, "lab.db");
  f->store = al_store_open (db, &error);
  g_assert_no_error (error);
  f->now = 1700000000000;
  al_store_set_clock (f->store, fake_clock, f);
  g_assert_true (al_store_set_meta (f->store, "gold_share", "0", &error));
  f->ann = al_store_ensure_user (f->store, "ann", "participant", "a", &error);
  f->bob = al_store_ensure_user (f->store, "bob", "participant", "a", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  al_user_free (f->ann);
  al_user_free (f->bob);
  g_clear_pointer (&f->store, al_store_unref);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

#define AL_STORE_PROPOSAL_ROW(rows, i) ((AlStoreProposalRow *) g_ptr_array_index (rows, i))

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  gint64 n = test_db_int (al_store_get_path (f->store), sql, NULL);
  g_assert_cmpint (n, >=, 0);
  return n;
}

static json_t *
text_result (const char *text)
{
  return json_pack ("{s:s}", "text", text);
}

static AlTask *
lease (Fixture *f,
       AlUser  *user)
{
  g_autoptr (GError) error = NULL;
  AlTask *task = al_store_lease (f->store, user, &error);
  g_assert_no_error (error);
  g_assert_nonnull (task);
  return task;
}

static void
test_broken_only_on_held_lease (Fixture      *f,
                                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) a = NULL;
  g_autoptr (AlTask) b = NULL;
  g_autoptr (AlTask) c = NULL;
  g_autoptr (AlTask) again = NULL;
  g_autoptr (json_t) r = NULL;
  g_autoptr (json_t) broken = NULL;
  g_autoptr (json_t) result = text_result ("hallo");
  json_t *item;

  import (f, "{\"id\":\"g\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"gold\":{\"text\":\"x\"}}\n"
             "{\"id\":\"t1\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n"
             "{\"id\":\"t2\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n");

  /* A task already submitted cannot be taken out of the pool any more:
   * not even a gold task everyone else still has to do. */
  g_assert_true (al_store_set_meta (f->store, "gold_share", "1", &error));
  a = lease (f, f->ann);
  g_assert_cmpstr (a->id, ==, "g");
  r = al_store_submit (f->store, f->ann, a->lease_id, "k1", result, 10, &error);
  g_assert_no_error (error);
  g_assert_false (al_store_report_broken (f->store, f->ann, a->lease_id, "gone", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_ALREADY_SUBMITTED);
  g_clear_error (&error);
  g_assert_true (al_store_set_meta (f->store, "gold_share", "0", &error));

  /* Nor after the lease expired. */
  b = lease (f, f->ann);
  g_assert_cmpstr (b->id, ==, "t1");
  f->now += 601 * 1000;
  g_assert_false (al_store_report_broken (f->store, f->ann, b->lease_id, "gone", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_LEASE_GONE);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tasks WHERE broken IS NOT NULL"), ==, 0);

  /* On the task held now it works, and the coach sees who said what. */
  c = lease (f, f->bob);
  g_assert_true (al_store_report_broken (f->store, f->bob, c->lease_id, "no sound", &error));
  g_assert_no_error (error);
  broken = al_store_list_broken (f->store, "a", &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_array_size (json_object_get (broken, "tasks")), ==, 1);
  item = json_array_get (json_object_get (broken, "tasks"), 0);
  g_assert_cmpstr (json_string_value (json_object_get (item, "task_id")), ==, c->id);
  g_assert_cmpstr (json_string_value (json_object_get (item, "reason")), ==, "no sound");
  g_assert_cmpstr (json_string_value (json_object_get (item, "reported_by")), ==, "bob");
  g_clear_pointer (&broken, json_decref);
  broken = al_store_list_broken (f->store, "other", &error);
  item = json_array_get (json_object_get (broken, "tasks"), 0);
  g_assert_true (json_is_null (json_object_get (item, "reported_by")));

  /* The coach puts it back: it is offered again. */
  g_assert_true (al_store_restore_task (f->store, c->id, "kim", &error));
  g_assert_no_error (error);
  g_assert_false (al_store_restore_task (f->store, c->id, "kim", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_pointer (&broken, json_decref);
  broken = al_store_list_broken (f->store, "a", &error);
  g_assert_cmpint (json_array_size (json_object_get (broken, "tasks")), ==, 0);
  again = lease (f, f->ann);
  g_assert_cmpstr (again->id, ==, c->id);
}

/* One participant cannot empty the pool with broken reports: past the cap
 * a report is refused, the task stays in the pool, and room comes back
 * when the coach has looked at one. */
static void
test_broken_reports_capped (Fixture      *f,
                            gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (AlTask) over = NULL;
  g_autoptr (AlTask) first = NULL;

  for (int i = 0; i < AL_STORE_MAX_OPEN_BROKEN + 3; i++)
    g_string_append_printf (text, "{\"id\":\"t%d\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n", i);
  import (f, text->str);
  for (int i = 0; i < AL_STORE_MAX_OPEN_BROKEN; i++)
    {
      g_autoptr (AlTask) t = lease (f, f->ann);
      if (i == 0)
        first = al_task_ref (t);
      g_assert_true (al_store_report_broken (f->store, f->ann, t->lease_id, "noise", &error));
      g_assert_no_error (error);
    }
  over = lease (f, f->ann);
  g_assert_false (al_store_report_broken (f->store, f->ann, over->lease_id, "noise", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_TOO_MANY_BROKEN);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tasks WHERE broken IS NOT NULL"), ==,
                   AL_STORE_MAX_OPEN_BROKEN);
  /* Another participant is not held back by it. */
  {
    g_autoptr (AlTask) t = lease (f, f->bob);
    g_assert_true (al_store_report_broken (f->store, f->bob, t->lease_id, "noise", &error));
    g_assert_no_error (error);
  }
  /* The coach looked at one: there is room again. */
  g_assert_true (al_store_restore_task (f->store, first->id, "kim", &error));
  g_assert_no_error (error);
  g_assert_true (al_store_report_broken (f->store, f->ann, over->lease_id, "noise", &error));
  g_assert_no_error (error);
}

static void
test_late_result_after_reassignment (Fixture      *f,
                                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) a = NULL;
  g_autoptr (AlTask) b = NULL;
  g_autoptr (json_t) ra = NULL;
  g_autoptr (json_t) rb = NULL;
  g_autoptr (json_t) result = text_result ("hallo");

  import (f, "{\"id\":\"t\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n");
  a = lease (f, f->ann);
  f->now += 601 * 1000;
  b = lease (f, f->bob);
  g_assert_cmpstr (b->id, ==, "t");

  /* Bob submits first, then Ann's late one arrives: the task has its one
   * answer, and done stays at the overlap. */
  rb = al_store_submit (f->store, f->bob, b->lease_id, "kb", result, 10, &error);
  g_assert_no_error (error);
  ra = al_store_submit (f->store, f->ann, a->lease_id, "ka", result, 10, &error);
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_LEASE_GONE);
  g_assert_null (ra);
  g_assert_cmpint (query_int (f, "SELECT done FROM tasks WHERE id = 't'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM results"), ==, 1);
}

static void
test_delete_keeps_done_consistent (Fixture      *f,
                                   gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) first = NULL;
  g_autoptr (AlTask) second = NULL;
  g_autoptr (AlTask) bobs = NULL;
  g_autoptr (json_t) r1 = NULL;
  g_autoptr (json_t) r2 = NULL;
  g_autoptr (json_t) result = text_result ("hallo");

  import (f, "{\"id\":\"t\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n");
  /* Ann's lease expires and she gets the same task again: two leases, but
   * one answer of hers counts. */
  first = lease (f, f->ann);
  f->now += 601 * 1000;
  second = lease (f, f->ann);
  g_assert_cmpstr (second->id, ==, "t");
  g_assert_cmpstr (second->lease_id, !=, first->lease_id);
  r2 = al_store_submit (f->store, f->ann, second->lease_id, "k2", result, 10, &error);
  g_assert_no_error (error);
  r1 = al_store_submit (f->store, f->ann, first->lease_id, "k1", result, 10, &error);
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_ALREADY_SUBMITTED);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT done FROM tasks"), ==, 1);

  /* Deleting Ann gives the task back to the pool. */
  g_assert_true (al_store_delete_user_data (f->store, f->ann, "kim", &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT done FROM tasks"), ==, 0);
  bobs = lease (f, f->bob);
  g_assert_cmpstr (bobs->id, ==, "t");
}

static void
test_idempotency_key_reuse (Fixture      *f,
                            gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) a = NULL;
  g_autoptr (AlTask) b = NULL;
  g_autoptr (json_t) r1 = NULL;
  g_autoptr (json_t) r2 = NULL;
  g_autoptr (json_t) r3 = NULL;
  g_autoptr (json_t) r4 = NULL;
  g_autoptr (json_t) first = text_result ("first");
  g_autoptr (json_t) other = text_result ("other");
  const char *no_exclude[] = { NULL };

  import (f, "{\"id\":\"t1\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n"
             "{\"id\":\"t2\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n");
  a = lease (f, f->ann);
  r1 = al_store_submit (f->store, f->ann, a->lease_id, "k", first, 10, &error);
  g_assert_no_error (error);

  /* The same request again is a replay. */
  r2 = al_store_submit (f->store, f->ann, a->lease_id, "k", first, 10, &error);
  g_assert_no_error (error);
  g_assert_true (json_equal (r1, r2));

  /* A different result under the key would be dropped: refused. */
  r3 = al_store_submit (f->store, f->ann, a->lease_id, "k", other, 10, &error);
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_KEY_REUSED);
  g_assert_nonnull (strstr (error->message, "different result"));
  g_clear_error (&error);

  /* So is the key on another lease. */
  b = al_store_lease_excluding (f->store, f->ann, no_exclude, &error);
  g_assert_cmpstr (b->id, ==, "t2");
  r4 = al_store_submit (f->store, f->ann, b->lease_id, "k", first, 10, &error);
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_KEY_REUSED);
  g_assert_nonnull (strstr (error->message, "another lease"));
  g_assert_cmpint (al_store_count_results (f->store, f->ann->id), ==, 1);
}

static void
test_lease_cap (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) al_task_unref);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (AlTask) fourth = NULL;
  g_autoptr (AlTask) after = NULL;
  g_autoptr (json_t) r = NULL;
  g_autoptr (json_t) result = text_result ("x");

  for (int i = 0; i < 6; i++)
    {
      g_autofree char *line = g_strdup_printf ("{\"id\":\"t%d\",\"kind\":\"transcribe\","
                                               "\"audio\":\"a.wav\"}\n", i);
      import (f, line);
    }
  /* The workstation asks for the next one past those it holds. */
  for (int i = 0; i < 3; i++)
    {
      AlTask *t;
      g_ptr_array_add (ids, NULL);
      t = al_store_lease_excluding (f->store, f->ann, (const char *const *) ids->pdata, &error);
      g_assert_no_error (error);
      g_ptr_array_remove_index (ids, ids->len - 1);
      g_ptr_array_add (held, t);
      g_ptr_array_add (ids, t->lease_id);
    }
  g_ptr_array_add (ids, NULL);
  fourth = al_store_lease_excluding (f->store, f->ann, (const char *const *) ids->pdata, &error);
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_TOO_MANY_LEASES);
  g_assert_null (fourth);
  g_clear_error (&error);

  /* One submitted: there is room again. */
  r = al_store_submit (f->store, f->ann, ((AlTask *) held->pdata[0])->lease_id, "k", result, 1,
                       &error);
  g_assert_no_error (error);
  after = al_store_lease_excluding (f->store, f->ann, (const char *const *) ids->pdata, &error);
  g_assert_no_error (error);
  g_assert_nonnull (after);
}

/* Another server in the middle of its lease (PostgreSQL): its
 * transaction shares the write lock and holds the row of the task it
 * chose. A lease here neither waits for it nor takes that task. */
static void
test_lease_beside_another_server (Fixture      *f,
                                  gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) a = NULL;
  g_autoptr (AlTask) b = NULL;
  g_autoptr (AlTask) c = NULL;
  g_autoptr (AlUser) cas = NULL;
  const char *db = al_store_get_path (f->store);
  TestTx *other = NULL;
  g_autofree char *take = NULL;
  gint64 start;

  if (!test_db_is_postgres (db))
    {
      g_test_skip ("one writer at a time on an SQLite file");
      return;
    }
  import (f, "{\"id\":\"t1\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n"
             "{\"id\":\"t2\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n"
             "{\"id\":\"t3\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n");
  cas = al_store_ensure_user (f->store, "cas", "participant", "a", &error);
  g_assert_no_error (error);
  g_assert_true (al_store_start_writer (f->store, &error));

  other = g_new0 (TestTx, 1);
  other->pg = test_db_connect (db);
  test_tx_exec (other, "BEGIN; SELECT pg_advisory_xact_lock_shared(7710501);"
                        " SELECT seq FROM tasks WHERE id = 't1' FOR NO KEY UPDATE");
  take = g_strdup_printf ("INSERT INTO leases(id, task_seq, user_id, created_at, expires_at)"
                          " SELECT 'other', seq, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ","
                          " %" G_GINT64_FORMAT " FROM tasks WHERE id = 't1'",
                          f->bob->id, f->now, f->now + 600000);
  test_tx_exec (other, take);

  /* With one lock for every write, this waited 5 s and failed as busy. */
  start = g_get_monotonic_time ();
  a = al_store_lease (f->store, f->ann, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);
  g_assert_cmpstr (a->id, ==, "t2");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  test_db_commit (other);

  /* The other server's lease counts once it is committed: t1 is full. */
  b = al_store_lease (f->store, cas, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->id, ==, "t3");
  c = al_store_lease (f->store, f->bob, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->id, ==, "t1");
  g_assert_cmpstr (c->lease_id, ==, "other");
}

#define RACERS 16

typedef struct
{
  AlStore *store;
  AlUser *user;
  int submitted;
  int busy;
} Racer;

static gpointer
race (gpointer data)
{
  Racer *r = data;

  for (int round = 0; round < 1000; round++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AlTask) task = al_store_lease (r->store, r->user, &error);
      g_autoptr (json_t) result = text_result ("x");
      g_autoptr (json_t) response = NULL;
      g_autofree char *key = NULL;

      if (g_error_matches (error, AL_STORE_ERROR, AL_STORE_ERROR_BUSY))
        {
          r->busy++;
          continue;
        }
      g_assert_no_error (error);
      if (task == NULL)
        break;
      key = g_strdup_printf ("%s-%d", r->user->name, round);
      do
        {
          g_clear_error (&error);
          g_clear_pointer (&response, json_decref);
          response = al_store_submit (r->store, r->user, task->lease_id, key, result, 1, &error);
        }
      while (g_error_matches (error, AL_STORE_ERROR, AL_STORE_ERROR_BUSY) && ++r->busy);
      g_assert_no_error (error);
      r->submitted++;
    }
  return NULL;
}

/* Two servers' stores on one database, each with its writer, sixteen
 * people leasing and submitting at once through both: every task gets
 * exactly the people its overlap asks. */
static void
test_two_stores_race (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (AlStore) second = NULL;
  const char *db = al_store_get_path (f->store);
  Racer racers[RACERS];
  GThread *threads[RACERS];
  int wanted = 0, total = 0;

  for (int i = 0; i < 90; i++)
    {
      g_string_append_printf (text, "{\"id\":\"t%02d\",\"kind\":\"transcribe\","
                                    "\"audio\":\"a.wav\",\"overlap\":%d}\n", i, i % 3 ? 1 : 3);
      wanted += i % 3 ? 1 : 3;
    }
  import (f, text->str);
  second = al_store_open (db, &error);
  g_assert_no_error (error);
  al_store_set_clock (second, fake_clock, f);
  g_assert_true (al_store_start_writer (f->store, &error));
  g_assert_true (al_store_start_writer (second, &error));
  for (int i = 0; i < RACERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%02d", i);
      racers[i] = (Racer) { i % 2 ? second : f->store, NULL, 0, 0 };
      racers[i].user = al_store_ensure_user (f->store, name, "participant", "a", &error);
      g_assert_no_error (error);
    }
  for (int i = 0; i < RACERS; i++)
    threads[i] = g_thread_new ("racer", race, &racers[i]);
  for (int i = 0; i < RACERS; i++)
    {
      g_thread_join (threads[i]);
      total += racers[i].submitted;
      al_user_free (racers[i].user);
    }
  g_assert_cmpint (total, ==, wanted);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM results", NULL), ==, wanted);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM tasks t WHERE t.done <> t.overlap"
                                    " OR t.done <> (SELECT count(*) FROM results r"
                                    " WHERE r.task_seq = t.seq)", NULL), ==, 0);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM (SELECT 1 FROM results GROUP BY"
                                    " task_seq, user_id HAVING count(*) > 1) AS twice", NULL),
                   ==, 0);
  g_assert_cmpint (test_db_int (db, "SELECT count(*) FROM leases WHERE state = 'active'", NULL),
                   ==, 0);
}

static json_t *
one_box (double x,
         double y,
         double w,
         double h)
{
  return json_pack ("{s:[{s:s,s:f,s:f,s:f,s:f}]}", "boxes", "label", "coin", "x", x, "y", y, "w",
                    w, "h", h);
}

static void
test_box_coordinates (Fixture      *f,
                      gconstpointer data)
{
  static const double nonsense[][4] = {
    { -1e6, 10, 50, 50 }, { 10, 10, 1.7e308, 50 }, { 700, 10, 50, 50 }, { 10, 10, 0, 5 },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) t = NULL;
  g_autoptr (json_t) r = NULL;
  g_autoptr (json_t) sloppy = one_box (-5, 470, 60, 40);
  g_autoptr (json_t) stored = NULL;
  json_t *box;

  import (f, "{\"id\":\"b\",\"kind\":\"bbox\",\"image\":\"a.png\",\"labels\":[\"coin\"],"
             "\"width\":640,\"height\":480}\n");
  t = lease (f, f->ann);
  for (gsize i = 0; i < G_N_ELEMENTS (nonsense); i++)
    {
      g_autoptr (json_t) bad = one_box (nonsense[i][0], nonsense[i][1], nonsense[i][2],
                                        nonsense[i][3]);
      g_assert_null (al_store_submit (f->store, f->ann, t->lease_id, "k", bad, 1, &error));
      g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "box 1"));
      g_clear_error (&error);
    }

  /* A box drawn a little past the edge is clipped to the image. */
  r = al_store_submit (f->store, f->ann, t->lease_id, "k", sloppy, 1, &error);
  g_assert_no_error (error);
  {
    g_autofree char *text = test_db_text (al_store_get_path (f->store),
                                          "SELECT result FROM results");
    g_assert_nonnull (text);
    stored = json_loads (text, 0, NULL);
  }
  box = json_array_get (json_object_get (stored, "boxes"), 0);
  g_assert_cmpfloat (json_number_value (json_object_get (box, "x")), ==, 0);
  g_assert_cmpfloat (json_number_value (json_object_get (box, "w")), ==, 55);
  g_assert_cmpfloat (json_number_value (json_object_get (box, "y")), ==, 470);
  g_assert_cmpfloat (json_number_value (json_object_get (box, "h")), ==, 10);

  /* The same request again is still the same result. */
  g_clear_pointer (&r, json_decref);
  r = al_store_submit (f->store, f->ann, t->lease_id, "k", sloppy, 1, &error);
  g_assert_no_error (error);
}

static void
test_event_bodies_kept_small (Fixture      *f,
                              gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *filler = g_strnfill (1 << 20, 'x');
  g_autoptr (json_t) body = json_pack ("{s:s,s:s,s:i,s:i,s:s}", "type", "pause_start", "state",
                                       "pause", "block", 2, "blocks", 4, "junk", filler);

  g_assert_true (al_store_add_event (f->store, f->ann, "pause_start", f->now, body, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT length(data) FROM events"), <, 200);
  g_assert_cmpint (query_int (f, "SELECT json_extract(data, '$.block') FROM events"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT json_extract(data, '$.junk') IS NULL FROM events"), ==,
                   1);
}


static AlTask *
lease_in (Fixture    *f,
          AlUser     *user,
          AlLeaseMode mode)
{
  g_autoptr (GError) error = NULL;
  AlTask *task = al_store_lease_mode (f->store, user, NULL, mode, &error);
  g_assert_no_error (error);
  return task;
}

static void
set_setting (Fixture    *f,
             AlUser     *user,
             const char *key,
             json_t     *value)
{
  g_autoptr (GError) error = NULL;
  json_object_set_new (user->settings, key, value);
  g_assert_true (al_store_set_user_settings (f->store, user->id, user->settings, &error));
}

#define MIXED_TASKS                                                                             \
  "{\"id\":\"b1\",\"kind\":\"bbox\",\"image\":\"a.png\",\"labels\":[\"coin\"],"                   \
  "\"width\":640,\"height\":480}\n"                                                             \
  "{\"id\":\"t1\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n"                                \
  "{\"id\":\"b2\",\"kind\":\"bbox\",\"image\":\"a.png\",\"labels\":[\"coin\"],"                   \
  "\"width\":640,\"height\":480}\n"                                                             \
  "{\"id\":\"t2\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n"

/* In voice mode only listening tasks, unless the coach allowed image
 * tasks; a box task held from before voice mode goes back to the pool. */
static void
test_voice_mode_gets_audio_only (Fixture      *f,
                                 gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) box = NULL;
  g_autoptr (AlTask) t1 = NULL;
  g_autoptr (AlTask) t2 = NULL;
  g_autoptr (AlTask) none = NULL;
  g_autoptr (AlTask) bob_box = NULL;
  g_autoptr (AlTask) allowed = NULL;
  g_autoptr (json_t) r1 = text_result ("een");
  g_autoptr (json_t) r2 = text_result ("twee");
  g_autoptr (json_t) r = NULL;

  import (f, MIXED_TASKS);
  /* On the screen first: the first task is a box task. */
  box = lease_in (f, f->ann, AL_LEASE_SCREEN);
  g_assert_cmpstr (box->id, ==, "b1");
  /* Voice mode comes on: the box task is let go, a recording comes. */
  t1 = lease_in (f, f->ann, AL_LEASE_VOICE);
  g_assert_cmpstr (t1->id, ==, "t1");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM leases l JOIN tasks t ON t.seq = l.task_seq"
                                 " WHERE t.id = 'b1' AND l.state = 'released'"), ==, 1);
  bob_box = lease_in (f, f->bob, AL_LEASE_SCREEN);
  g_assert_cmpstr (bob_box->id, ==, "b1");
  r = al_store_submit (f->store, f->ann, t1->lease_id, "k1", r1, 10, &error);
  g_assert_no_error (error);
  g_clear_pointer (&r, json_decref);
  t2 = lease_in (f, f->ann, AL_LEASE_VOICE);
  g_assert_cmpstr (t2->id, ==, "t2");
  r = al_store_submit (f->store, f->ann, t2->lease_id, "k2", r2, 10, &error);
  g_assert_no_error (error);
  /* No listening work left: nothing, rather than a box to draw. */
  none = lease_in (f, f->ann, AL_LEASE_VOICE);
  g_assert_null (none);
  /* The participant's own "voice" setting counts when the workstation
   * does not say. */
  set_setting (f, f->ann, "voice", json_true ());
  g_assert_null (al_store_lease (f->store, f->ann, &error));
  g_assert_no_error (error);
  /* The coach allows image tasks in voice mode. */
  set_setting (f, f->ann, "voice_images", json_true ());
  allowed = lease_in (f, f->ann, AL_LEASE_VOICE);
  g_assert_nonnull (allowed);
  g_assert_cmpstr (allowed->id, ==, "b2");
}

/* Classifying what a recording holds is listening work; classifying a
 * photo is not, in voice mode, also when it was held from before. */
static void
test_voice_mode_classify (Fixture      *f,
                          gconstpointer data)
{
  g_autoptr (AlTask) photo = NULL;
  g_autoptr (AlTask) heard = NULL;
  g_autoptr (AlTask) again = NULL;
  g_autoptr (AlTask) none = NULL;

  import (f, "{\"id\":\"cp\",\"kind\":\"classify\",\"image\":\"a.png\","
             "\"choices\":[\"kat\",\"hond\"]}\n"
             "{\"id\":\"ca\",\"kind\":\"classify\",\"audio\":\"a.wav\","
             "\"choices\":[\"spraak\",\"muziek\"]}\n");
  photo = lease_in (f, f->ann, AL_LEASE_SCREEN);
  g_assert_cmpstr (photo->id, ==, "cp");
  heard = lease_in (f, f->ann, AL_LEASE_VOICE);
  g_assert_cmpstr (heard->id, ==, "ca");
  /* The recording, held, comes back in voice mode; the photo does not. */
  again = lease_in (f, f->ann, AL_LEASE_VOICE);
  g_assert_cmpstr (again->id, ==, "ca");
  set_setting (f, f->ann, "kinds", json_pack ("[s]", "classify"));
  none = lease_in (f, f->ann, AL_LEASE_VOICE);
  g_assert_cmpstr (none->id, ==, "ca");
}

/* Reviewing the subtitles of a recording is listening work; those of a
 * video are not, in voice mode. */
static void
test_voice_mode_subtitle_review (Fixture      *f,
                                 gconstpointer data)
{
  g_autoptr (AlTask) heard = NULL;
  g_autoptr (AlTask) again = NULL;
  g_autoptr (AlTask) none = NULL;

  import (f, "{\"id\":\"sv\",\"kind\":\"subtitle-review\",\"video\":\"a.mp4\","
             "\"start\":1,\"end\":2,\"subtitle\":\"Hallo\"}\n"
             "{\"id\":\"sa\",\"kind\":\"subtitle-review\",\"audio\":\"a.wav\","
             "\"start\":1,\"end\":2,\"subtitle\":\"Hallo\"}\n");
  heard = lease_in (f, f->ann, AL_LEASE_VOICE);
  g_assert_cmpstr (heard->id, ==, "sa");
  g_assert_true (al_task_is_listening (heard));
  set_setting (f, f->ann, "kinds", json_pack ("[s]", "subtitle-review"));
  again = lease_in (f, f->ann, AL_LEASE_VOICE);
  g_assert_cmpstr (again->id, ==, "sa");
  /* Only other kinds asked for: the held review goes back to the pool. */
  set_setting (f, f->ann, "kinds", json_pack ("[s]", "classify"));
  none = lease_in (f, f->ann, AL_LEASE_VOICE);
  g_assert_null (none);
}

/* The listening flag is set at import; a database from before it (schema
 * 4) gets the column on opening, with each task's flag worked out from
 * its data, and voice mode routes by it. */
static void
test_listening_column (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strdup (al_store_get_path (f->store));
  g_autoptr (AlTask) first = NULL;
  g_autoptr (AlTask) second = NULL;
  g_autoptr (AlTask) third = NULL;
  g_autoptr (AlTask) none = NULL;
  const char *const flags = "SELECT group_concat(id || '=' || listening, ' ')"
                            " FROM (SELECT id, listening FROM tasks ORDER BY seq)";

  import (f, "{\"id\":\"b\",\"kind\":\"bbox\",\"image\":\"a.png\",\"labels\":[\"coin\"]}\n"
             "{\"id\":\"cp\",\"kind\":\"classify\",\"image\":\"a.png\","
             "\"choices\":[\"kat\",\"hond\"]}\n"
             "{\"id\":\"sv\",\"kind\":\"subtitle-review\",\"video\":\"a.mp4\","
             "\"start\":1,\"end\":2,\"subtitle\":\"Hallo\"}\n"
             "{\"id\":\"ca\",\"kind\":\"classify\",\"audio\":\"a.wav\","
             "\"choices\":[\"spraak\",\"muziek\"]}\n"
             "{\"id\":\"sa\",\"kind\":\"subtitle-review\",\"audio\":\"a.wav\","
             "\"start\":1,\"end\":2,\"subtitle\":\"Hallo\"}\n"
             "{\"id\":\"t\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tasks WHERE listening = 1"
                                 " AND id IN ('ca', 'sa', 't')"), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tasks WHERE listening = 1"), ==, 3);
  /* The upgrade of an older file is SQLite's; PostgreSQL databases start at the newest. */
  if (!test_db_is_postgres (path))
    {
      {
        g_autoptr (sqlite3) db = test_db_open (path);
        g_autoptr (sqlite3_stmt) stmt = NULL;
        g_assert_cmpint (sqlite3_prepare_v2 (db, flags, -1, &stmt, NULL), ==, SQLITE_OK);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==,
                         "b=0 cp=0 sv=0 ca=1 sa=1 t=1");
      }
      g_clear_pointer (&f->store, al_store_unref);

      /* As schema 4 left it: no column, no index. */
      {
        g_autoptr (sqlite3) db = test_db_open (path);
        g_assert_cmpint (sqlite3_exec (db, "DROP INDEX tasks_listening;"
                                           "ALTER TABLE tasks DROP COLUMN listening;"
                                           "PRAGMA user_version = 4", NULL, NULL, NULL), ==,
                         SQLITE_OK);
      }
      f->store = al_store_open (path, &error);
      g_assert_no_error (error);
      al_store_set_clock (f->store, fake_clock, f);
      {
        g_autoptr (sqlite3) db = test_db_open (path);
        g_autoptr (sqlite3_stmt) stmt = NULL;
        g_assert_cmpint (sqlite3_prepare_v2 (db, flags, -1, &stmt, NULL), ==, SQLITE_OK);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==,
                         "b=0 cp=0 sv=0 ca=1 sa=1 t=1");
        g_clear_pointer (&stmt, sqlite3_finalize);
        g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==,
                         SQLITE_OK);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 8);
      }

      /* Voice mode gets the three listening tasks in order, then nothing;
       * the voice lease reads the listening index, not the task data. */
      g_assert_cmpint (query_int (f, "SELECT count(*) FROM sqlite_schema"
                                     " WHERE name = 'tasks_listening'"), ==, 1);
    }
  first = lease_in (f, f->ann, AL_LEASE_VOICE);
  second = al_store_lease_mode (f->store, f->ann, (const char *const[]) { first->lease_id, NULL },
                                AL_LEASE_VOICE, &error);
  third = al_store_lease_mode (f->store, f->ann,
                               (const char *const[]) { first->lease_id, second->lease_id, NULL },
                               AL_LEASE_VOICE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->id, ==, "ca");
  g_assert_cmpstr (second->id, ==, "sa");
  g_assert_cmpstr (third->id, ==, "t");
  none = lease_in (f, f->bob, AL_LEASE_VOICE);
  g_assert_null (none);
}

/* A pass lets go of the task for someone else, not back to the same
 * person that day, is no result, and is capped. */
/* Every task's holders agree with its leases, whatever happened to them. */
static void
assert_holders_agree (Fixture *f)
{
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tasks t WHERE t.holders <>"
                                 " (SELECT count(*) FROM leases l WHERE l.task_seq = t.seq"
                                 " AND l.counted = 1 AND l.state = 'active')"), ==, 0);
}

/* And every person's answers with their results. */
static void
assert_answers_agree (Fixture *f)
{
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM users u WHERE u.answers <>"
                                 " (SELECT count(*) FROM results r WHERE r.user_id = u.id)"
                                 " OR u.gold_answers <> (SELECT count(*) FROM results r"
                                 " JOIN tasks t ON t.seq = r.task_seq WHERE r.user_id = u.id"
                                 " AND t.is_gold = 1 AND t.training = 0)"), ==, 0);
}

static gboolean
keep_data (guint    index,
           json_t  *data,
           gpointer user_data,
           GError **error)
{
  return TRUE;
}

static gint64
holders (Fixture    *f,
         const char *task_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT holders FROM tasks WHERE id = '%s'", task_id);
  return query_int (f, sql);
}

/* The count of holders that lets a lease skip held tasks: up with a
 * lease, down with a result, a pass, an expiry and a deletion, up again
 * with a heartbeat on an expired lease; an overlap of 2 takes two. */
static void
test_holders_counted (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlUser) cas = NULL;
  g_autoptr (AlUser) dan = NULL;
  g_autoptr (AlTask) a = NULL;
  g_autoptr (AlTask) b = NULL;
  g_autoptr (AlTask) c = NULL;
  g_autoptr (AlTask) d = NULL;
  g_autoptr (json_t) r = NULL;
  g_autoptr (json_t) result = text_result ("hallo");
  g_autofree char *path = NULL;

  import (f, "{\"id\":\"t1\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"overlap\":2}\n"
             "{\"id\":\"t2\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n"
             "{\"id\":\"t3\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n");
  cas = al_store_ensure_user (f->store, "cas", "participant", "a", &error);
  g_assert_no_error (error);

  a = lease (f, f->ann);
  b = lease (f, f->bob);
  g_assert_cmpstr (a->id, ==, "t1");
  g_assert_cmpstr (b->id, ==, "t1");
  g_assert_cmpint (holders (f, "t1"), ==, 2);
  /* Full with two holders: the third person gets the next task. */
  c = lease (f, cas);
  g_assert_cmpstr (c->id, ==, "t2");
  assert_holders_agree (f);

  /* Bob's result frees his place, but t1 has one answer of its two and
   * Ann holds the other: Bob, having answered, gets t3. */
  r = al_store_submit (f->store, f->bob, b->lease_id, "kb", result, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpint (holders (f, "t1"), ==, 1);
  g_clear_pointer (&b, al_task_unref);
  b = lease (f, f->bob);
  g_assert_cmpstr (b->id, ==, "t3");
  assert_holders_agree (f);
  g_assert_cmpint (query_int (f, "SELECT answers FROM users WHERE name = 'bob'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT gold_answers FROM users WHERE name = 'bob'"), ==, 0);

  /* Cas passes on t2: free again. */
  g_assert_true (al_store_pass (f->store, cas, c->lease_id, "not_for_me", &error));
  g_assert_no_error (error);
  g_assert_cmpint (holders (f, "t2"), ==, 0);
  assert_holders_agree (f);

  /* Ann's lease runs out: the next lease counts it out, and t1 goes to
   * Cas; Ann's heartbeat on her expired lease counts her in again. */
  f->now += 601 * 1000;
  g_clear_pointer (&c, al_task_unref);
  c = al_store_lease_excluding (f->store, cas, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->id, ==, "t1");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM leases WHERE counted = 0"
                                 " AND state = 'active'"), >=, 1);
  assert_holders_agree (f);
  g_assert_true (al_store_heartbeat (f->store, f->ann, a->lease_id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (holders (f, "t1"), ==, 2);
  assert_holders_agree (f);

  /* Deleting Cas takes her leases with her. */
  g_assert_true (al_store_delete_user_data (f->store, cas, "kim", &error));
  g_assert_no_error (error);
  g_assert_cmpint (holders (f, "t1"), ==, 1);
  assert_holders_agree (f);
  assert_answers_agree (f);
  /* t1 becomes a gold task after Bob answered it: his answer counts as gold. */
  g_assert_true (al_store_set_gold (f->store, (const char *const[]) { "t1", NULL }, keep_data, NULL,
                                    &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT gold_answers FROM users WHERE name = 'bob'"), ==, 1);
  assert_answers_agree (f);

  /* A schema 6 database (no count, no triggers) is counted when opened. */
  path = g_strdup (al_store_get_path (f->store));
  g_clear_pointer (&f->store, al_store_unref);
  if (test_db_is_postgres (path))
    {
      TestTx tx = { .pg = test_db_connect (path) };
      test_tx_exec (&tx, "DROP TRIGGER leases_holders ON leases;"
                         "DROP FUNCTION annolab_count_holders; DROP INDEX tasks_free;"
                         "DROP INDEX leases_counted; ALTER TABLE tasks DROP COLUMN holders;"
                         "ALTER TABLE leases DROP COLUMN counted;"
                         "DROP TRIGGER results_answers ON results;"
                         "DROP TRIGGER tasks_gold_changed ON tasks;"
                         "ALTER TABLE users DROP COLUMN answers;"
                         "ALTER TABLE users DROP COLUMN gold_answers;"
                         "UPDATE annolab_schema SET version = 6");
      PQfinish (tx.pg);
    }
  else
    {
      TestTx tx = { .lite = test_db_open (path) };
      test_tx_exec (&tx, "DROP TRIGGER leases_taken; DROP TRIGGER leases_changed;"
                         "DROP TRIGGER leases_deleted; DROP INDEX tasks_free;"
                         "DROP INDEX leases_counted; ALTER TABLE tasks DROP COLUMN holders;"
                         "ALTER TABLE leases DROP COLUMN counted;"
                         "DROP TRIGGER results_added; DROP TRIGGER results_deleted;"
                         "DROP TRIGGER tasks_gold_changed; ALTER TABLE users DROP COLUMN answers;"
                         "ALTER TABLE users DROP COLUMN gold_answers; PRAGMA user_version = 6");
      sqlite3_close (tx.lite);
    }
  g_assert_cmpint (test_db_int (path, "SELECT count(*) FROM leases", NULL), >, 0);
  f->store = al_store_open (path, &error);
  g_assert_no_error (error);
  al_store_set_clock (f->store, fake_clock, f);
  g_assert_cmpint (holders (f, "t1"), ==, 1);
  assert_holders_agree (f);
  assert_answers_agree (f);
  g_assert_cmpint (query_int (f, "SELECT gold_answers FROM users WHERE name = 'bob'"), ==, 1);
  /* t1 has Bob's answer and Ann's lease: full. */
  dan = al_store_ensure_user (f->store, "dan", "participant", "a", &error);
  g_assert_no_error (error);
  d = lease (f, dan);
  g_assert_cmpstr (d->id, ==, "t2");
  g_assert_cmpint (holders (f, "t2"), ==, 1);
  assert_holders_agree (f);
}

static void
test_pass (Fixture      *f,
           gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTask) t1 = NULL;
  g_autoptr (AlTask) next = NULL;
  g_autoptr (AlTask) bob_t1 = NULL;
  g_autoptr (AlTask) held = NULL;
  g_autoptr (AlTask) tomorrow = NULL;
  g_autoptr (json_t) counted = NULL;
  g_autoptr (json_t) r = text_result ("een");
  g_autoptr (json_t) stored = NULL;

  import (f, "{\"id\":\"t1\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n"
             "{\"id\":\"t2\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n"
             "{\"id\":\"t3\",\"kind\":\"transcribe\",\"audio\":\"a.wav\"}\n");
  t1 = lease (f, f->ann);
  g_assert_false (al_store_pass (f->store, f->ann, t1->lease_id, "boring", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (al_store_pass (f->store, f->bob, t1->lease_id, "noisy", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_true (al_store_pass (f->store, f->ann, t1->lease_id, "noisy", &error));
  g_assert_no_error (error);
  /* Only once, and no result after it. */
  g_assert_false (al_store_pass (f->store, f->ann, t1->lease_id, "noisy", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_LEASE_GONE);
  g_clear_error (&error);
  g_assert_null (al_store_submit (f->store, f->ann, t1->lease_id, "k", r, 1, &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_LEASE_GONE);
  g_assert_nonnull (strstr (error->message, "passed on"));
  g_clear_error (&error);

  next = lease (f, f->ann);
  g_assert_cmpstr (next->id, ==, "t2");
  bob_t1 = lease (f, f->bob);
  g_assert_cmpstr (bob_t1->id, ==, "t1");
  g_assert_cmpint (al_store_count_results (f->store, 0), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT done FROM tasks WHERE id = 't1'"), ==, 0);
  {
    /* Neither right nor wrong: not in the work record either. */
    g_autoptr (json_t) record = al_work_record_build (f->store, f->ann, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_integer_value (json_object_get (record, "tasks_total")), ==, 0);
  }
  counted = al_store_count_passes (f->store, f->ann, 0);
  g_assert_cmpint (json_integer_value (json_object_get (counted, "count")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (counted, "reasons"),
                                                        "noisy")), ==, 1);

  /* The cap: with max_passes 1 the second pass is refused and the task
   * stays with the participant. */
  g_assert_true (al_store_set_meta (f->store, "max_passes", "1", &error));
  g_assert_false (al_store_pass (f->store, f->ann, next->lease_id, "language", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_TOO_MANY_PASSES);
  g_clear_error (&error);
  held = lease (f, f->ann);
  g_assert_cmpstr (held->id, ==, "t2");
  /* With passing switched off, it says so, not "0 passes, as many as allowed". */
  g_assert_true (al_store_set_meta (f->store, "max_passes", "0", &error));
  g_assert_false (al_store_pass (f->store, f->ann, held->lease_id, "language", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_TOO_MANY_PASSES);
  g_assert_nonnull (strstr (error->message, "switched off"));
  g_clear_error (&error);

  /* Another day, the passed task may come back to the same person. */
  g_assert_true (al_store_set_meta (f->store, "max_passes", "10", &error));
  g_assert_true (al_store_pass (f->store, f->ann, held->lease_id, "not_for_me", &error));
  stored = al_store_submit (f->store, f->bob, bob_t1->lease_id, "kb", r, 1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&next, al_task_unref);
  next = lease (f, f->ann);
  g_assert_cmpstr (next->id, ==, "t3");
  f->now += 2 * 24 * 3600 * (gint64) 1000;
  tomorrow = lease (f, f->ann);
  g_assert_cmpstr (tomorrow->id, ==, "t2");
}

/* A model's proposal goes out with the lease of an ordinary task, never
 * with a gold task; storing is all or nothing, and keeps what a task has
 * unless told to replace it. */
static void
test_proposals (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (AlTask) first = NULL;
  g_autoptr (AlTask) second = NULL;
  guint stored = 0;

  import (f, "{\"id\":\"g\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"language\":\"en\","
             "\"gold\":{\"text\":\"x\"}}\n"
             "{\"id\":\"t\",\"kind\":\"transcribe\",\"audio\":\"b.wav\",\"language\":\"en\"}\n");
  rows = al_store_list_proposals (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_true (AL_STORE_PROPOSAL_ROW (rows, 0)->gold);
  g_assert_false (AL_STORE_PROPOSAL_ROW (rows, 1)->gold);
  for (guint i = 0; i < rows->len; i++)
    AL_STORE_PROPOSAL_ROW (rows, i)->proposal =
      json_pack ("{s:s,s:s,s:s,s:[]}", "model", "pocketsphinx", "version", "1", "text",
                 i ? "ordinary" : "gold", "words");
  g_assert_true (al_store_put_proposals (f->store, rows, FALSE, &stored, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stored, ==, 2);
  g_assert_true (al_store_put_proposals (f->store, rows, FALSE, &stored, &error));
  g_assert_cmpuint (stored, ==, 0);

  /* One row without a model: nothing at all is stored. */
  json_object_del (AL_STORE_PROPOSAL_ROW (rows, 1)->proposal, "model");
  g_assert_false (al_store_put_proposals (f->store, rows, TRUE, &stored, &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM proposals"), ==, 2);

  first = al_store_lease (f->store, f->ann, &error);
  g_assert_no_error (error);
  second = al_store_lease_excluding (f->store, f->ann,
                                     (const char *const[]) { first->lease_id, NULL }, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  {
    AlTask *gold = g_str_equal (first->id, "g") ? first : second;
    AlTask *plain = gold == first ? second : first;
    g_autoptr (json_t) sent = al_task_to_json (plain);
    g_assert_null (gold->proposal);
    g_assert_cmpstr (json_string_value (json_object_get (plain->proposal, "text")), ==, "ordinary");
    g_assert_nonnull (json_object_get (sent, "proposal"));
  }
  g_assert_null (al_store_list_proposals (f->store, "no-such", &error));
  g_assert_error (error, AL_STORE_ERROR, AL_STORE_ERROR_NOT_FOUND);
}

/* A proposal in a task file goes to the proposals table and out of the
 * task's data, and the lease hands it out as it does a model's. */
#define PROPOSED_TASKS                                                                          \
  "{\"id\":\"b\",\"kind\":\"bbox\",\"image\":\"a.png\",\"labels\":[\"coin\"],"                    \
  "\"width\":640,\"height\":480,\"proposal\":{\"boxes\":[{\"label\":\"coin\",\"x\":10,"          \
  "\"y\":20,\"w\":30,\"h\":40,\"confidence\":0.8}]}}\n"                                          \
  "{\"id\":\"t\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"proposal\":{\"model\":\"asr\","   \
  "\"version\":\"2\",\"text\":\"ten of clubs\",\"words\":[{\"word\":\"ten\","                     \
  "\"confidence\":0.9,\"start\":0.1,\"end\":0.3}]}}\n"                                           \
  "{\"id\":\"c\",\"kind\":\"classify\",\"audio\":\"a.wav\",\"choices\":[\"spraak\",\"muziek\"],"  \
  "\"proposal\":{\"choices\":[\"muziek\"],\"confidence\":0.7}}\n"                                \
  "{\"id\":\"g\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"gold\":{\"text\":\"x\"},"          \
  "\"proposal\":{\"text\":\"y\"}}\n"

static void
test_imported_proposals (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GHashTable) leased = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) al_task_unref);
  g_autoptr (GPtrArray) held = g_ptr_array_new ();
  AlTask *task;

  g_ptr_array_add (held, NULL);
  g_assert_true (al_store_set_meta (f->store, "max_leases", "10", &error));
  import (f, PROPOSED_TASKS);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM proposals"), ==, 4);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tasks WHERE data LIKE '%proposal%'"), ==,
                   0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM proposals WHERE model = 'import'"
                                 " AND version = ''"), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM proposals WHERE model = 'asr'"
                                 " AND version = '2'"), ==, 1);
  rows = al_store_list_proposals (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_true (AL_STORE_PROPOSAL_ROW (rows, 3)->gold);
  g_assert_cmpstr (json_string_value (json_object_get (AL_STORE_PROPOSAL_ROW (rows, 3)->proposal,
                                                       "text")), ==, "y");

  while ((task = al_store_lease_excluding (f->store, f->ann,
                                           (const char *const *) held->pdata, &error)))
    {
      g_ptr_array_remove_index (held, held->len - 1);
      g_ptr_array_add (held, task->lease_id);
      g_ptr_array_add (held, NULL);
      g_hash_table_insert (leased, task->id, task);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (leased), ==, 4);
  task = g_hash_table_lookup (leased, "b");
  g_assert_cmpstr (json_string_value (json_object_get (task->proposal, "model")), ==, "import");
  g_assert_cmpfloat (json_number_value (json_object_get (json_array_get (
                       json_object_get (task->proposal, "boxes"), 0), "w")), ==, 30);
  task = g_hash_table_lookup (leased, "t");
  g_assert_cmpstr (json_string_value (json_object_get (task->proposal, "text")), ==,
                   "ten of clubs");
  task = g_hash_table_lookup (leased, "c");
  g_assert_cmpstr (json_string_value (json_array_get (json_object_get (task->proposal, "choices"),
                                                      0)), ==, "muziek");
  /* Stored, never shown: a gold task measures the person. */
  g_assert_null (((AlTask *) g_hash_table_lookup (leased, "g"))->proposal);
}

/* A bad proposal stops the whole import, naming the task and the
 * problem. */
static void
test_imported_proposals_refused (Fixture      *f,
                                 gconstpointer data)
{
  static const struct
  {
    const char *line;
    const char *message;
  } cases[] = {
    { "{\"id\":\"b\",\"kind\":\"bbox\",\"image\":\"a.png\",\"labels\":[\"coin\"],\"width\":640,"
      "\"height\":480,\"proposal\":{\"boxes\":[{\"label\":\"cup\",\"x\":1,\"y\":1,\"w\":2,"
      "\"h\":2}]}}",
      "task b: the proposal box 1 has label \"cup\", which is not in the task's labels" },
    { "{\"id\":\"b\",\"kind\":\"bbox\",\"image\":\"a.png\",\"labels\":[\"coin\"],\"width\":640,"
      "\"height\":480,\"proposal\":{\"boxes\":[{\"label\":\"coin\",\"x\":600,\"y\":1,\"w\":50,"
      "\"h\":2}]}}",
      "task b: the proposal box 1 is outside the image (640×480 pixels)" },
    { "{\"id\":\"t\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"proposal\":{\"text\":\"a\","
      "\"words\":[{\"word\":\"a\",\"confidence\":7}]}}",
      "task t: the proposal word 1: \"confidence\" must be a number from 0 to 1" },
    { "{\"id\":\"t\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"proposal\":{\"words\":[]}}",
      "task t: the proposal needs \"text\" as a string" },
    { "{\"id\":\"c\",\"kind\":\"classify\",\"audio\":\"a.wav\",\"choices\":[\"ja\",\"nee\"],"
      "\"proposal\":{\"choices\":[\"misschien\"]}}",
      "task c: the proposal has the choice \"misschien\", which is not in the task's choices" },
    { "{\"id\":\"c\",\"kind\":\"classify\",\"audio\":\"a.wav\",\"choices\":[\"ja\",\"nee\"],"
      "\"proposal\":{\"model\":7,\"choices\":[\"ja\"]}}",
      "task c: the proposal needs \"model\" (a non-empty text) and \"version\" (a text)" },
    { "{\"id\":\"s\",\"kind\":\"subtitle-review\",\"audio\":\"a.wav\",\"start\":1,\"end\":2,"
      "\"subtitle\":\"Hallo\",\"proposal\":{\"text\":\"Hallo\"}}",
      "task s: a subtitle review takes no proposal" },
    { "{\"id\":\"v\",\"kind\":\"video-boxes\",\"video\":\"v.webm\",\"labels\":[\"gezicht\"],"
      "\"fps\":10,\"end\":3,\"proposal\":{\"model\":\"m\",\"tracks\":[{\"label\":\"kat\","
      "\"keyframes\":[{\"t\":0,\"x\":1,\"y\":1,\"w\":5,\"h\":5}]}]}}",
      "task v: the proposal, track 1 has label \"kat\", which is not in the task's labels" },
    { "{\"id\":\"v\",\"kind\":\"video-boxes\",\"video\":\"v.webm\",\"labels\":[\"gezicht\"],"
      "\"fps\":10,\"end\":3,\"proposal\":{\"model\":\"m\",\"tracks\":[{\"label\":\"gezicht\","
      "\"keyframes\":[{\"t\":4,\"x\":1,\"y\":1,\"w\":5,\"h\":5}]}]}}",
      "task v: the proposal, track 1, keyframe 1 is at 4 s, outside the video's span" },
    { "{\"id\":\"v\",\"kind\":\"video-boxes\",\"video\":\"v.webm\",\"labels\":[\"gezicht\"],"
      "\"fps\":10,\"end\":3,\"proposal\":{\"model\":\"m\",\"tracks\":[{\"label\":\"gezicht\","
      "\"confidence\":7,\"keyframes\":[{\"t\":0,\"x\":1,\"y\":1,\"w\":5,\"h\":5}]}]}}",
      "task v: the proposal, track 1: \"confidence\" must be a number from 0 to 1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("{\"id\":\"ok%zu\",\"kind\":\"transcribe\","
                                               "\"audio\":\"a.wav\"}\n%s\n", i, cases[i].line);
      g_autoptr (GPtrArray) tasks = al_jsonl_parse_tasks (text, strlen (text), "t.jsonl", f->dir,
                                                          &error);
      /* Refused when read (with its line) or when imported (once the image's
       * size is known); never taken. */
      if (tasks != NULL)
        {
          g_assert_no_error (error);
          g_assert_false (al_store_import_tasks (f->store, tasks, "d", "jsonl", &error));
        }
      g_assert_nonnull (error);
      g_assert_true (g_str_has_suffix (error->message, cases[i].message));
    }
  /* All or nothing: not even the good task before the bad one. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tasks"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM proposals"), ==, 0);
}

static void
got_next (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  AlTask **out = data;
  g_autoptr (GError) error = NULL;

  *out = al_queue_next_finish (AL_QUEUE (source), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out);
}

/* The embedded queue seeds itself through the same import, so the
 * workstation gets a file's proposals without a server. */
static void
test_local_queue_proposal (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlLocalQueue) queue = NULL;
  g_autoptr (AlTask) task = NULL;

  import (f, "{\"id\":\"t\",\"kind\":\"transcribe\",\"audio\":\"a.wav\",\"proposal\":"
             "{\"model\":\"pocketsphinx\",\"version\":\"0.8\",\"text\":\"ten of clubs\","
             "\"words\":[{\"word\":\"ten\",\"confidence\":0.9}]}}\n");
  queue = al_local_queue_new (f->store, "ann", &error);
  g_assert_no_error (error);
  al_queue_next_async (AL_QUEUE (queue), NULL, got_next, &task);
  while (task == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (task->id, ==, "t");
  g_assert_cmpstr (json_string_value (json_object_get (task->proposal, "model")), ==,
                   "pocketsphinx");
  g_assert_cmpstr (json_string_value (json_object_get (task->proposal, "text")), ==,
                   "ten of clubs");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/leases/broken-only-on-held-lease", test_broken_only_on_held_lease);
  ADD ("/leases/broken-reports-capped", test_broken_reports_capped);
  ADD ("/leases/late-result-after-reassignment", test_late_result_after_reassignment);
  ADD ("/leases/delete-keeps-done-consistent", test_delete_keeps_done_consistent);
  ADD ("/leases/idempotency-key-reuse", test_idempotency_key_reuse);
  ADD ("/leases/lease-cap", test_lease_cap);
  ADD ("/leases/lease-beside-another-server", test_lease_beside_another_server);
  ADD ("/leases/two-stores-race", test_two_stores_race);
  ADD ("/leases/box-coordinates", test_box_coordinates);
  ADD ("/leases/event-bodies-kept-small", test_event_bodies_kept_small);
  ADD ("/leases/voice-mode-gets-audio-only", test_voice_mode_gets_audio_only);
  ADD ("/leases/voice-mode-classify", test_voice_mode_classify);
  ADD ("/leases/voice-mode-subtitle-review", test_voice_mode_subtitle_review);
  ADD ("/leases/listening-column", test_listening_column);
  ADD ("/leases/holders-counted", test_holders_counted);
  ADD ("/leases/pass", test_pass);
  ADD ("/leases/proposals", test_proposals);
  ADD ("/leases/imported-proposals", test_imported_proposals);
  ADD ("/leases/imported-proposals-refused", test_imported_proposals_refused);
  ADD ("/leases/local-queue-proposal", test_local_queue_proposal);
#undef ADD
  return g_test_run ();
}
