/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bare SQLite work of one lease+submit cycle, with no HTTP, JSON or
 * scoring around it: the reference for bench/server.sh.
 *
 *   sqlite-cycle DB SECONDS USERS
 *
 * DB is a lab database made by annolab-queue (import, user add). The
 * connection is set up as the store sets it up (WAL, synchronous=FULL,
 * foreign keys) and each cycle is the store's two transactions:
 *   lease:  BEGIN IMMEDIATE; read the task; INSERT the lease; COMMIT
 *   submit: BEGIN IMMEDIATE; read the lease; INSERT the result; UPDATE its
 *           response; UPDATE the lease; UPDATE the task's count; COMMIT
 * Prints "cycles_per_second N" and "transaction_p99_ms N", the time one
 * of those transactions takes, durable, with nothing else running. */
#include <glib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static sqlite3 *db;

static void
check (int         rc,
       int         want,
       const char *what)
{
  if (rc != want)
    {
      fprintf (stderr, "sqlite-cycle: %s: %s\n", what, sqlite3_errmsg (db));
      exit (1);
    }
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static sqlite3_stmt *
prepare (const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  check (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK, sql);
  return stmt;
}

static void
run (sqlite3_stmt *stmt,
     int           want,
     const char   *what)
{
  check (sqlite3_step (stmt), want, what);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

int
main (int   argc,
      char *argv[])
{
  sqlite3_stmt *begin, *commit, *task, *lease_ins, *lease_get, *result_ins, *result_upd,
    *lease_upd, *task_upd;
  gint64 seq = 0, cycles = 0, start, deadline, now, t0, t1;
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  double seconds;
  int users;

  if (argc != 4)
    {
      fprintf (stderr, "usage: sqlite-cycle DB SECONDS USERS\n");
      return 2;
    }
  seconds = g_ascii_strtod (argv[2], NULL);
  users = MAX (1, atoi (argv[3]));
  check (sqlite3_open_v2 (argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL),
         SQLITE_OK, "open");
  sqlite3_busy_timeout (db, 5000);
  check (sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                           " PRAGMA foreign_keys=ON;", NULL, NULL, NULL), SQLITE_OK, "pragmas");

  begin = prepare ("BEGIN IMMEDIATE");
  commit = prepare ("COMMIT");
  task = prepare ("SELECT data FROM tasks WHERE seq > ? AND broken IS NULL ORDER BY seq LIMIT 1");
  lease_ins = prepare ("INSERT INTO leases(id, task_seq, user_id, created_at, expires_at)"
                       " VALUES (?, (SELECT seq FROM tasks WHERE seq > ? ORDER BY seq LIMIT 1),"
                       " ?, ?, ?)");
  lease_get = prepare ("SELECT l.task_seq, l.user_id, l.expires_at, l.state, t.id FROM leases l"
                       " JOIN tasks t ON t.seq = l.task_seq WHERE l.id = ?");
  result_ins = prepare ("INSERT INTO results(task_seq, user_id, lease_id, idempotency_key, result,"
                        " lead_time_ms, submitted_at, late, score, response)"
                        " VALUES (?, ?, ?, ?, ?, 1000, ?, 0, NULL, '{}')");
  result_upd = prepare ("UPDATE results SET response = ? WHERE id = ?");
  lease_upd = prepare ("UPDATE leases SET state = 'done' WHERE id = ?");
  task_upd = prepare ("UPDATE tasks SET done = done + 1 WHERE seq = ?");

  start = g_get_monotonic_time ();
  deadline = start + (gint64) (seconds * G_USEC_PER_SEC);
  do
    {
      g_autofree char *lease_id = g_uuid_string_random ();
      g_autofree char *key = g_strdup_printf ("bench-%" G_GINT64_FORMAT, cycles);
      gint64 user = 1 + cycles % users, task_seq, ms = g_get_real_time () / 1000;
      g_autofree char *response = NULL;

      /* Lease. */
      t0 = g_get_monotonic_time ();
      run (begin, SQLITE_DONE, "begin");
      sqlite3_bind_int64 (task, 1, seq);
      if (sqlite3_step (task) != SQLITE_ROW)
        {
          /* A fast disk gets through every task: start again from the first. */
          sqlite3_reset (task);
          seq = 0;
          sqlite3_bind_int64 (task, 1, seq);
          check (sqlite3_step (task), SQLITE_ROW, "read task (are there any tasks?)");
        }
      sqlite3_reset (task);
      sqlite3_bind_text (lease_ins, 1, lease_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (lease_ins, 2, seq);
      sqlite3_bind_int64 (lease_ins, 3, user);
      sqlite3_bind_int64 (lease_ins, 4, ms);
      sqlite3_bind_int64 (lease_ins, 5, ms + 600000);
      run (lease_ins, SQLITE_DONE, "insert lease");
      run (commit, SQLITE_DONE, "commit lease");
      t1 = g_get_monotonic_time ();
      g_array_append_val (times, (gint64) { t1 - t0 });

      /* Submit. */
      run (begin, SQLITE_DONE, "begin");
      sqlite3_bind_text (lease_get, 1, lease_id, -1, SQLITE_STATIC);
      check (sqlite3_step (lease_get), SQLITE_ROW, "read lease");
      task_seq = sqlite3_column_int64 (lease_get, 0);
      sqlite3_reset (lease_get);
      sqlite3_bind_int64 (result_ins, 1, task_seq);
      sqlite3_bind_int64 (result_ins, 2, user);
      sqlite3_bind_text (result_ins, 3, lease_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (result_ins, 4, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (result_ins, 5, "{\"text\":\"een twee drie\"}", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (result_ins, 6, ms);
      run (result_ins, SQLITE_DONE, "insert result");
      response = g_strdup_printf ("{\"late\":false,\"result_id\":%lld,\"task_id\":\"b%06lld\"}",
                                  (long long) sqlite3_last_insert_rowid (db),
                                  (long long) task_seq);
      sqlite3_bind_text (result_upd, 1, response, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (result_upd, 2, sqlite3_last_insert_rowid (db));
      run (result_upd, SQLITE_DONE, "update result");
      sqlite3_bind_text (lease_upd, 1, lease_id, -1, SQLITE_STATIC);
      run (lease_upd, SQLITE_DONE, "update lease");
      sqlite3_bind_int64 (task_upd, 1, task_seq);
      run (task_upd, SQLITE_DONE, "update task");
      run (commit, SQLITE_DONE, "commit submit");

      seq = task_seq;
      cycles++;
      now = g_get_monotonic_time ();
      g_array_append_val (times, (gint64) { now - t1 });
    }
  while (now < deadline);

  printf ("cycles %" G_GINT64_FORMAT "\n", cycles);
  printf ("cycles_per_second %.1f\n", cycles / ((now - start) / 1e6));
  g_array_sort (times, compare_times);
  printf ("transaction_p99_ms %.3f\n",
          g_array_index (times, gint64, (times->len - 1) * 99 / 100) / 1000.0);
  sqlite3_finalize (begin);
  sqlite3_finalize (commit);
  sqlite3_finalize (task);
  sqlite3_finalize (lease_ins);
  sqlite3_finalize (lease_get);
  sqlite3_finalize (result_ins);
  sqlite3_finalize (result_upd);
  sqlite3_finalize (lease_upd);
  sqlite3_finalize (task_upd);
  sqlite3_close (db);
  return 0;
}
