/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bare PostgreSQL work of one lease+submit cycle, with no HTTP, JSON
 * or scoring around it: the PostgreSQL reference for bench/postgres.sh,
 * as bench/sqlite-cycle is SQLite's.
 *
 *   pg-cycle URI SECONDS USERS
 *
 * URI is a lab database made by annolab-queue. One connection, the
 * store's two transactions per cycle, each with the store's write lock:
 *   lease:  BEGIN; lock; read the task; INSERT the lease; COMMIT
 *   submit: BEGIN; lock; read the lease; INSERT the result RETURNING id;
 *           UPDATE its response; UPDATE the lease; UPDATE the task; COMMIT
 * Prints "cycles_per_second N". */
#include <glib.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>

static PGconn *conn;

static PGresult *
run (const char        *sql,
     int                n,
     const char *const *params,
     ExecStatusType     want)
{
  PGresult *res = PQexecParams (conn, sql, n, NULL, params, NULL, NULL, 0);

  if (PQresultStatus (res) != want)
    {
      fprintf (stderr, "pg-cycle: %s: %s\n", sql, PQerrorMessage (conn));
      exit (1);
    }
  return res;
}

static void
exec (const char        *sql,
      int                n,
      const char *const *params)
{
  PQclear (run (sql, n, params, PGRES_COMMAND_OK));
}

#define LOCK "SELECT pg_advisory_xact_lock(7710501)"

int
main (int   argc,
      char *argv[])
{
  gint64 seq = 0, cycles = 0, start, deadline, now;
  double seconds;
  int users;

  if (argc != 4)
    {
      fprintf (stderr, "usage: pg-cycle URI SECONDS USERS\n");
      return 2;
    }
  seconds = g_ascii_strtod (argv[2], NULL);
  users = MAX (1, atoi (argv[3]));
  conn = PQconnectdb (argv[1]);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      fprintf (stderr, "pg-cycle: %s", PQerrorMessage (conn));
      return 1;
    }

  start = g_get_monotonic_time ();
  deadline = start + (gint64) (seconds * G_USEC_PER_SEC);
  do
    {
      g_autofree char *lease_id = g_uuid_string_random ();
      g_autofree char *key = g_strdup_printf ("bench-%" G_GINT64_FORMAT, cycles);
      g_autofree char *seq_s = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
      g_autofree char *user = g_strdup_printf ("%" G_GINT64_FORMAT, 1 + cycles % users);
      gint64 ms = g_get_real_time () / 1000;
      g_autofree char *at = g_strdup_printf ("%" G_GINT64_FORMAT, ms);
      g_autofree char *until = g_strdup_printf ("%" G_GINT64_FORMAT, ms + 600000);
      g_autofree char *task_seq = NULL, *result_id = NULL, *response = NULL;
      PGresult *res;

      /* Lease. */
      exec ("BEGIN", 0, NULL);
      PQclear (run (LOCK, 0, NULL, PGRES_TUPLES_OK));
      res = run ("SELECT seq, data FROM tasks WHERE seq > $1 AND broken IS NULL ORDER BY seq"
                 " LIMIT 1", 1, (const char *[]) { seq_s }, PGRES_TUPLES_OK);
      if (PQntuples (res) == 0)
        {
          /* Through every task: start again from the first. */
          PQclear (res);
          res = run ("SELECT seq, data FROM tasks WHERE broken IS NULL ORDER BY seq LIMIT 1", 0,
                     NULL, PGRES_TUPLES_OK);
          if (PQntuples (res) == 0)
            {
              fprintf (stderr, "pg-cycle: there are no tasks\n");
              return 1;
            }
        }
      task_seq = g_strdup (PQgetvalue (res, 0, 0));
      PQclear (res);
      exec ("INSERT INTO leases(id, task_seq, user_id, created_at, expires_at)"
            " VALUES ($1, $2, $3, $4, $5)", 5,
            (const char *[]) { lease_id, task_seq, user, at, until });
      exec ("COMMIT", 0, NULL);

      /* Submit. */
      exec ("BEGIN", 0, NULL);
      PQclear (run (LOCK, 0, NULL, PGRES_TUPLES_OK));
      PQclear (run ("SELECT l.task_seq, l.user_id, l.expires_at, l.state, t.id FROM leases l"
                    " JOIN tasks t ON t.seq = l.task_seq WHERE l.id = $1", 1,
                    (const char *[]) { lease_id }, PGRES_TUPLES_OK));
      res = run ("INSERT INTO results(task_seq, user_id, lease_id, idempotency_key, result,"
                 " lead_time_ms, submitted_at, late, score, response)"
                 " VALUES ($1, $2, $3, $4, '{\"text\":\"een twee drie\"}', 1000, $5, 0, NULL, '{}')"
                 " RETURNING id", 5, (const char *[]) { task_seq, user, lease_id, key, at },
                 PGRES_TUPLES_OK);
      result_id = g_strdup (PQgetvalue (res, 0, 0));
      PQclear (res);
      response = g_strdup_printf ("{\"late\":false,\"result_id\":%s,\"task_id\":\"b%06lld\"}",
                                  result_id, atoll (task_seq));
      exec ("UPDATE results SET response = $1 WHERE id = $2", 2,
            (const char *[]) { response, result_id });
      exec ("UPDATE leases SET state = 'done' WHERE id = $1", 1, (const char *[]) { lease_id });
      exec ("UPDATE tasks SET done = done + 1 WHERE seq = $1", 1, (const char *[]) { task_seq });
      exec ("COMMIT", 0, NULL);

      seq = atoll (task_seq);
      cycles++;
      now = g_get_monotonic_time ();
    }
  while (now < deadline);

  printf ("cycles %" G_GINT64_FORMAT "\n", cycles);
  printf ("cycles_per_second %.1f\n", cycles / ((now - start) / 1e6));
  PQfinish (conn);
  return 0;
}
