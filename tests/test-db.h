/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Tests look into a database from outside, as an admin with the sqlite3
 * or psql tool would, through a connection of their own. */

#include <glib.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <string.h>

static inline sqlite3 *
test_db_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close_v2)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static inline gboolean
test_db_is_postgres (const char *where)
{
  return g_str_has_prefix (where, "postgresql://");
}

static inline PGconn *
test_db_connect (const char *where)
{
  PGconn *conn = PQconnectdb (where);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to %s: %s", where, PQerrorMessage (conn));
  return conn;
}

/* Where a test keeps its database: the file @name in @dir or, when
 * ANNOLAB_TEST_PG_HOST names the socket folder of a PostgreSQL server
 * (tests/with-postgres.sh starts one), a new database of its own there,
 * named after @dir and @name and made on first use. */
static inline char *
test_db_location (const char *dir,
                  const char *name)
{
  const char *host = g_getenv ("ANNOLAB_TEST_PG_HOST");
  g_autofree char *base = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *db = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *sql = NULL;
  PGconn *conn;
  PGresult *res;

  if (host == NULL || *host == '\0')
    return g_build_filename (dir, name, NULL);
  base = g_path_get_basename (dir);
  raw = g_strdup_printf ("t_%s_%s", base, name);
  db = g_ascii_strdown (raw, -1);
  g_strcanon (db, "abcdefghijklmnopqrstuvwxyz0123456789_", '_');
  db[MIN (strlen (db), 63)] = '\0';
  admin = g_strdup_printf ("postgresql:///postgres?host=%s&user=postgres", host);
  conn = test_db_connect (admin);
  sql = g_strdup_printf ("SELECT 1 FROM pg_database WHERE datname = '%s'", db);
  res = PQexec (conn, sql);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  if (PQntuples (res) == 0)
    {
      g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", db);
      PQclear (res);
      res = PQexec (conn, create);
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        g_error ("%s: %s", create, PQerrorMessage (conn));
    }
  PQclear (res);
  PQfinish (conn);
  return g_strdup_printf ("postgresql:///%s?host=%s&user=postgres", db, host);
}

/* Runs @sql, with ? as its one text parameter @param (or none), on the
 * database @where; returns the first column of the first row as a
 * number (-1 without a row). */
static inline gint64
test_db_int (const char *where,
             const char *sql,
             const char *param)
{
  gint64 value = -1;

  if (test_db_is_postgres (where))
    {
      PGconn *conn = test_db_connect (where);
      g_autoptr (GString) text = g_string_new (sql);
      const char *params[] = { param };
      PGresult *res;

      g_string_replace (text, "?", "$1", 0);
      res = PQexecParams (conn, text->str, param ? 1 : 0, NULL, params, NULL, NULL, 0);
      if (PQresultStatus (res) != PGRES_TUPLES_OK && PQresultStatus (res) != PGRES_COMMAND_OK)
        g_error ("%s: %s", sql, PQerrorMessage (conn));
      if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) > 0)
        {
          const char *v = PQgetvalue (res, 0, 0);
          /* A comparison is a boolean here, 0 or 1 in SQLite. */
          value = g_str_equal (v, "t") ? 1 : g_str_equal (v, "f") ? 0 : g_ascii_strtoll (v, NULL, 10);
        }
      PQclear (res);
      PQfinish (conn);
    }
  else
    {
      g_autoptr (sqlite3) db = test_db_open (where);
      g_autoptr (sqlite3_stmt) stmt = NULL;
      int rc;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      if (param)
        sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
      else if (rc != SQLITE_DONE)
        g_error ("%s: %s", sql, sqlite3_errmsg (db));
    }
  return value;
}

/* The first column of the first row of @sql on @where, as text. */
static inline char *
test_db_text (const char *where,
              const char *sql)
{
  char *value = NULL;

  if (test_db_is_postgres (where))
    {
      PGconn *conn = test_db_connect (where);
      PGresult *res = PQexec (conn, sql);

      if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) > 0)
        value = g_strdup (PQgetvalue (res, 0, 0));
      else if (PQresultStatus (res) != PGRES_TUPLES_OK)
        g_error ("%s: %s", sql, PQerrorMessage (conn));
      PQclear (res);
      PQfinish (conn);
    }
  else
    {
      g_autoptr (sqlite3) db = test_db_open (where);
      g_autoptr (sqlite3_stmt) stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  return value;
}

/* Runs @sql (no rows wanted) on the database @where. */
static inline void
test_db_exec (const char *where,
              const char *sql)
{
  test_db_int (where, sql, NULL);
}

/* A transaction of the test's own that holds the database's write lock
 * (SQLite: BEGIN EXCLUSIVE; PostgreSQL: the lock every annolab write
 * takes first), as an admin's long transaction would, until
 * test_db_commit. */
typedef struct
{
  sqlite3 *lite;
  PGconn *pg;
} TestTx;

static inline void
test_tx_exec (TestTx     *tx,
              const char *sql)
{
  if (tx->pg)
    {
      PGresult *res = PQexec (tx->pg, sql);
      if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
        g_error ("%s: %s", sql, PQerrorMessage (tx->pg));
      PQclear (res);
    }
  else if (sqlite3_exec (tx->lite, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (tx->lite));
}

static inline TestTx *
test_db_begin_locked (const char *where)
{
  TestTx *tx = g_new0 (TestTx, 1);

  if (test_db_is_postgres (where))
    {
      tx->pg = test_db_connect (where);
      test_tx_exec (tx, "BEGIN; SELECT pg_advisory_xact_lock(7710501)");
    }
  else
    {
      tx->lite = test_db_open (where);
      test_tx_exec (tx, "BEGIN EXCLUSIVE");
    }
  return tx;
}

static inline void
test_db_commit (TestTx *tx)
{
  test_tx_exec (tx, "COMMIT");
  if (tx->pg)
    PQfinish (tx->pg);
  else
    sqlite3_close_v2 (tx->lite);
  g_free (tx);
}
