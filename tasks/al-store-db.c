/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "al-store-db.h"

/* PostgreSQL's type numbers (pg_type.oid), which libpq leaves to the server headers. */
#define BOOL_OID   16
#define INT8_OID   20
#define INT2_OID   21
#define INT4_OID   23
#define FLOAT4_OID 700
#define FLOAT8_OID 701
#define NUMERIC_OID 1700
#define BYTEA_OID  17
#define TEXT_OID   25

/* Every writing transaction on PostgreSQL takes this lock first. BEGIN
 * IMMEDIATE takes it alone, as SQLite's write lock: such writes are
 * serialized with every other. BEGIN CONCURRENT (the servers' leases and
 * submits, which lock the rows and people they touch) shares it, so that
 * two servers' transactions run at once yet wait for an import or a
 * deletion. */
#define WRITE_LOCK "7710501"

struct _AlConn
{
  sqlite3 *lite;
  PGconn *pg;
  char *error;        /* PostgreSQL: the last error, without its newline */
  GHashTable *prepared; /* PostgreSQL: parameter types and SQL → statement name */
  GHashTable *kept;     /* SQLite: SQL → GSList of finished statements, reset */
  guint n_kept;
  GMutex kept_lock;
  /* PostgreSQL: a connection the server dropped is made again. */
  gboolean in_transaction; /* between BEGIN and COMMIT or ROLLBACK */
  gboolean lost;           /* dropped, not yet made again */
  gboolean broken;         /* a statement failed in libpq, not in PostgreSQL */
  gint64 used_at;          /* the last statement, monotonic µs */
  gint64 tried_at;         /* the last try to make it again, monotonic µs */
  char *again_sql;         /* run on the new connection (a LISTEN) */
};

/* One line in the log when the database goes away, one when it is back;
 * the other connections of the same outage find out later, quietly. */
static GMutex outage_lock;
static gboolean down;
static gint64 back_at;

static void
note_outage (gboolean    lost,
             const char *why)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&outage_lock);
  if (lost && !down && now - back_at > 10 * G_USEC_PER_SEC)
    {
      down = TRUE;
      g_message ("The connection to PostgreSQL was lost (%s); trying again every second", why);
    }
  else if (!lost && down)
    {
      down = FALSE;
      back_at = now;
      g_message ("Connected to PostgreSQL again");
    }
  g_mutex_unlock (&outage_lock);
}

/* A connection prepares each statement once; the store's SQL is a fixed
 * set, this bounds anything built on the fly. */
#define MAX_PREPARED 500

/* SQLite: making a statement costs more than running most of the store's;
 * a finished one is kept, reset, for the next use of the same SQL. */
#define MAX_KEPT 300

static sqlite3_stmt *
take_kept (AlConn     *conn,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  GSList *list;

  g_mutex_lock (&conn->kept_lock);
  if (conn->kept && (list = g_hash_table_lookup (conn->kept, sql)))
    {
      stmt = list->data;
      g_hash_table_steal (conn->kept, sql);
      list = g_slist_delete_link (list, list);
      if (list)
        g_hash_table_insert (conn->kept, (gpointer) sqlite3_sql (list->data), list);
      conn->n_kept--;
    }
  g_mutex_unlock (&conn->kept_lock);
  return stmt;
}

/* FALSE: not kept (too many), finalize it. */
static gboolean
keep (AlConn       *conn,
      sqlite3_stmt *stmt)
{
  GSList *list;
  const char *sql = sqlite3_sql (stmt);
  gboolean kept = FALSE;

  sqlite3_clear_bindings (stmt);
  g_mutex_lock (&conn->kept_lock);
  if (conn->n_kept < MAX_KEPT)
    {
      if (conn->kept == NULL)
        conn->kept = g_hash_table_new (g_str_hash, g_str_equal);
      list = g_hash_table_lookup (conn->kept, sql);
      g_hash_table_steal (conn->kept, sql);
      list = g_slist_prepend (list, stmt);
      g_hash_table_insert (conn->kept, (gpointer) sqlite3_sql (stmt), list);
      conn->n_kept++;
      kept = TRUE;
    }
  g_mutex_unlock (&conn->kept_lock);
  return kept;
}

static void
finalize_kept (AlConn *conn)
{
  GHashTableIter iter;
  gpointer list;

  if (conn->kept == NULL)
    return;
  g_hash_table_iter_init (&iter, conn->kept);
  while (g_hash_table_iter_next (&iter, NULL, &list))
    g_slist_free_full (list, (GDestroyNotify) sqlite3_finalize);
  g_clear_pointer (&conn->kept, g_hash_table_unref);
  conn->n_kept = 0;
}

struct _AlStmt
{
  AlConn *conn;
  sqlite3_stmt *lite;
  char *sql;          /* with $N placeholders */
  int n_params;
  char **values;
  Oid *types;
  PGresult *res;
  int row;
};

gboolean
al_db_is_postgres (const char *where)
{
  return where && (g_str_has_prefix (where, "postgresql://") ||
                   g_str_has_prefix (where, "postgres://"));
}

/* postgresql://user:secret@host/db → postgresql://user@host/db; a
 * password=… parameter goes the same way. */
char *
al_db_display_name (const char *where)
{
  GString *out;
  const char *rest, *at, *slash, *colon, *pw;

  if (!al_db_is_postgres (where))
    return g_strdup (where);
  rest = strstr (where, "://") + 3;
  out = g_string_new_len (where, rest - where);
  slash = strchr (rest, '/');
  at = strchr (rest, '@');
  if (at && (!slash || at < slash) && (colon = memchr (rest, ':', at - rest)))
    {
      g_string_append_len (out, rest, colon - rest);
      rest = at;
    }
  g_string_append (out, rest);
  if ((pw = strstr (out->str, "password=")))
    {
      gsize start = pw - out->str + strlen ("password=");
      gsize end = start;
      while (end < out->len && out->str[end] != '&')
        end++;
      g_string_erase (out, start, end - start);
      g_string_insert (out, start, "…");
    }
  return g_string_free (out, FALSE);
}

static void
quiet (void       *data,
       const char *message)
{
  /* "relation already exists, skipping" and the like are not for users. */
}

static void
set_pg_error (AlConn     *conn,
              const char *message)
{
  g_free (conn->error);
  conn->error = g_strstrip (g_strdup (message && *message ? message : "unknown error"));
}

/* What SQLite would have called a PostgreSQL error (its SQLSTATE). */
static int
code_of (const char *state)
{
  if (state == NULL)
    return SQLITE_IOERR;   /* no answer: the connection is gone */
  if (g_str_has_prefix (state, "23"))
    return SQLITE_CONSTRAINT;
  if (g_str_equal (state, "53100"))
    return SQLITE_FULL;
  if (g_str_equal (state, "25006") || g_str_equal (state, "42501"))
    return SQLITE_READONLY;
  if (g_str_equal (state, "40001") || g_str_equal (state, "40P01") ||
      g_str_equal (state, "55P03"))
    return SQLITE_BUSY;
  if (g_str_equal (state, "XX001") || g_str_equal (state, "XX002"))
    return SQLITE_CORRUPT;
  if (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57P"))
    return SQLITE_IOERR;
  return SQLITE_ERROR;
}

static int
pg_failed (AlConn   *conn,
           PGresult *res)
{
  const char *message = res ? PQresultErrorMessage (res) : NULL;
  const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  int rc = code_of (state);

  /* No SQLSTATE: libpq's own failure, most often a closed connection,
   * which PQstatus may only show at the next statement. */
  if (state == NULL)
    {
      conn->broken = TRUE;
      rc = SQLITE_IOERR;
    }

  set_pg_error (conn, message && *message ? message : PQerrorMessage (conn->pg));
  return rc;
}

static int
pg_session (AlConn *conn)
{
  /* As SQLite's busy timeout: a write that waits 5 s for the lock gives
   * up (BUSY, a 503 from the server) rather than hang. */
  PGresult *res = PQexec (conn->pg, "SET lock_timeout = '5s'");
  int rc = PQresultStatus (res) == PGRES_COMMAND_OK ? SQLITE_OK : pg_failed (conn, res);

  PQclear (res);
  if (rc == SQLITE_OK && conn->again_sql)
    {
      res = PQexec (conn->pg, conn->again_sql);
      rc = PQresultStatus (res) == PGRES_COMMAND_OK ? SQLITE_OK : pg_failed (conn, res);
      PQclear (res);
    }
  return rc;
}

gboolean
al_conn_is_lost (AlConn *conn)
{
  return conn && conn->pg && (conn->broken || PQstatus (conn->pg) != CONNECTION_OK);
}

/* Before each statement: a connection PostgreSQL dropped (a restart, a
 * cut network) is made again, at most once a second, and never inside a
 * transaction, whose earlier statements are gone with it. */
static int
pg_ready (AlConn *conn)
{
  gint64 now = g_get_monotonic_time ();

  /* A connection left idle a while may have been closed by a restart
   * meanwhile: reading what waits on it finds out, without blocking.
   * Twice: a server that stops says so first, and the end comes after. */
  if (!conn->broken && !conn->in_transaction && now - conn->used_at > G_USEC_PER_SEC)
    for (int i = 0; i < 2 && PQstatus (conn->pg) == CONNECTION_OK; i++)
      PQconsumeInput (conn->pg);
  conn->used_at = now;
  if (!al_conn_is_lost (conn))
    return SQLITE_OK;
  if (!conn->lost)
    {
      const char *said = conn->error ? conn->error : PQerrorMessage (conn->pg);
      /* libpq's hints follow on more lines. */
      g_autofree char *why = g_strndup (said, strcspn (said, "\n"));
      conn->lost = TRUE;
      note_outage (TRUE, why);
    }
  if (conn->in_transaction)
    {
      set_pg_error (conn, "the connection to PostgreSQL was lost during the transaction");
      return SQLITE_IOERR;
    }
  if (now - conn->tried_at < G_USEC_PER_SEC)
    {
      set_pg_error (conn, "PostgreSQL cannot be reached");
      return SQLITE_IOERR;
    }
  conn->tried_at = now;
  PQreset (conn->pg);
  if (PQstatus (conn->pg) != CONNECTION_OK)
    {
      set_pg_error (conn, PQerrorMessage (conn->pg));
      return SQLITE_IOERR;
    }
  conn->broken = FALSE;
  /* A new session: nothing prepared, no settings. */
  if (conn->prepared)
    g_hash_table_remove_all (conn->prepared);
  if (pg_session (conn) != SQLITE_OK)
    return SQLITE_IOERR;
  conn->lost = FALSE;
  note_outage (FALSE, NULL);
  return SQLITE_OK;
}

gboolean
al_conn_reconnect (AlConn     *conn,
                   const char *again_sql)
{
  if (conn == NULL || conn->pg == NULL)
    return TRUE;
  g_free (conn->again_sql);
  conn->again_sql = g_strdup (again_sql);
  return pg_ready (conn) == SQLITE_OK;
}

int
al_conn_open (const char *where,
              int         sqlite_flags,
              AlConn    **out)
{
  AlConn *conn = g_new0 (AlConn, 1);

  *out = conn;
  g_mutex_init (&conn->kept_lock);
  if (!al_db_is_postgres (where))
    return sqlite3_open_v2 (where, &conn->lite, sqlite_flags, NULL);

  conn->pg = PQconnectdb (where);
  if (conn->pg == NULL)
    return SQLITE_NOMEM;
  if (PQstatus (conn->pg) != CONNECTION_OK)
    {
      set_pg_error (conn, PQerrorMessage (conn->pg));
      return SQLITE_CANTOPEN;
    }
  PQsetNoticeProcessor (conn->pg, quiet, NULL);
  return pg_session (conn);
}

void
al_conn_close (AlConn *conn)
{
  if (conn == NULL)
    return;
  finalize_kept (conn);
  g_mutex_clear (&conn->kept_lock);
  if (conn->lite)
    sqlite3_close_v2 (conn->lite);
  if (conn->pg)
    PQfinish (conn->pg);
  g_clear_pointer (&conn->prepared, g_hash_table_unref);
  g_free (conn->again_sql);
  g_free (conn->error);
  g_free (conn);
}

gboolean
al_conn_is_postgres (AlConn *conn)
{
  return conn && conn->pg != NULL;
}

sqlite3 *
al_conn_sqlite (AlConn *conn)
{
  return conn ? conn->lite : NULL;
}

/* SQLite's transaction words in PostgreSQL's. */
static const char *
pg_command (const char *sql)
{
  if (g_ascii_strcasecmp (sql, "BEGIN IMMEDIATE") == 0)
    return "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK ")";
  if (g_ascii_strcasecmp (sql, "BEGIN CONCURRENT") == 0)
    return "BEGIN; SELECT pg_advisory_xact_lock_shared(" WRITE_LOCK ")";
  /* A plain BEGIN reads: one snapshot for the whole transaction. */
  if (g_ascii_strcasecmp (sql, "BEGIN") == 0)
    return "BEGIN ISOLATION LEVEL REPEATABLE READ";
  return sql;
}

int
al_conn_exec (AlConn     *conn,
              const char *sql)
{
  PGresult *res;
  ExecStatusType status;
  gboolean ends;
  int rc;

  if (conn->lite)
    {
      /* One writer at a time on a file: the same as BEGIN IMMEDIATE. */
      sqlite3_stmt *stmt;

      if (g_ascii_strcasecmp (sql, "BEGIN CONCURRENT") == 0)
        sql = "BEGIN IMMEDIATE";
      if (strchr (sql, ';'))
        return sqlite3_exec (conn->lite, sql, NULL, NULL, NULL);
      /* One statement (a savepoint, a commit): a kept one. */
      stmt = take_kept (conn, sql);
      if (stmt == NULL && (rc = sqlite3_prepare_v2 (conn->lite, sql, -1, &stmt, NULL)) != SQLITE_OK)
        return rc;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;
      if (rc == SQLITE_DONE && sqlite3_reset (stmt) == SQLITE_OK && keep (conn, stmt))
        return SQLITE_OK;
      sqlite3_finalize (stmt);
      return rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
  /* SQLite's settings of the connection mean nothing here. */
  if (g_ascii_strncasecmp (sql, "PRAGMA", 6) == 0)
    return SQLITE_OK;
  ends = g_ascii_strncasecmp (sql, "COMMIT", 6) == 0 ||
         (g_ascii_strncasecmp (sql, "ROLLBACK", 8) == 0 && !strstr (sql, " TO "));
  if ((rc = pg_ready (conn)) != SQLITE_OK)
    {
      if (ends)
        conn->in_transaction = FALSE;
      return rc;
    }
  res = PQexec (conn->pg, pg_command (sql));
  status = PQresultStatus (res);
  if (ends)
    conn->in_transaction = FALSE;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    {
      if (g_ascii_strncasecmp (sql, "BEGIN", 5) == 0)
        conn->in_transaction = TRUE;
      PQclear (res);
      return SQLITE_OK;
    }
  {
    rc = pg_failed (conn, res);
    g_debug ("%s: %s", sql, conn->error);
    PQclear (res);
    /* A BEGIN that could not get the lock began nothing, as on SQLite. */
    if (g_ascii_strncasecmp (sql, "BEGIN", 5) == 0 &&
        PQtransactionStatus (conn->pg) != PQTRANS_IDLE)
      PQclear (PQexec (conn->pg, "ROLLBACK"));
    return rc;
  }
}

/* ?N stays parameter N and ? is one more than the highest so far, as in
 * SQLite; PostgreSQL spells both $N. Quoted text is left alone. */
static char *
pg_sql (const char *sql,
        int        *n_params)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  int max = 0;

  for (const char *p = sql; *p; p++)
    {
      if (*p == '\'' || *p == '"')
        {
          const char *end = strchr (p + 1, *p);
          if (end == NULL)
            end = p + strlen (p) - 1;
          g_string_append_len (out, p, end - p + 1);
          p = end;
        }
      else if (*p == '?')
        {
          int n = max + 1;
          if (g_ascii_isdigit (p[1]))
            {
              char *end;
              n = (int) strtol (p + 1, &end, 10);
              p = end - 1;
            }
          max = MAX (max, n);
          g_string_append_printf (out, "$%d", n);
        }
      else
        g_string_append_c (out, *p);
    }
  *n_params = max;
  return g_string_free (out, FALSE);
}

int
al_conn_prepare (AlConn     *conn,
                 const char *sql,
                 AlStmt    **out)
{
  AlStmt *stmt;
  int rc;

  *out = NULL;
  stmt = g_new0 (AlStmt, 1);
  stmt->conn = conn;
  if (conn->lite)
    {
      stmt->lite = take_kept (conn, sql);
      rc = stmt->lite ? SQLITE_OK : sqlite3_prepare_v2 (conn->lite, sql, -1, &stmt->lite, NULL);
      if (rc != SQLITE_OK)
        {
          g_free (stmt);
          return rc;
        }
      *out = stmt;
      return SQLITE_OK;
    }
  stmt->sql = pg_sql (sql, &stmt->n_params);
  stmt->values = g_new0 (char *, stmt->n_params + 1);
  stmt->types = g_new0 (Oid, stmt->n_params + 1);
  /* A parameter left unbound is NULL, as in SQLite; text, as most are. */
  for (int i = 0; i < stmt->n_params; i++)
    stmt->types[i] = TEXT_OID;
  *out = stmt;
  return SQLITE_OK;
}

const char *
al_conn_errmsg (AlConn *conn)
{
  if (conn->lite)
    return sqlite3_errmsg (conn->lite);
  return conn->error ? conn->error : "not an error";
}

int
al_conn_system_errno (AlConn *conn)
{
  return conn->lite ? sqlite3_system_errno (conn->lite) : 0;
}

int
al_conn_get_autocommit (AlConn *conn)
{
  if (conn->lite)
    return sqlite3_get_autocommit (conn->lite);
  if (PQstatus (conn->pg) != CONNECTION_OK)
    return !conn->in_transaction;
  return PQtransactionStatus (conn->pg) == PQTRANS_IDLE;
}

gint64
al_conn_last_insert_rowid (AlConn *conn)
{
  PGresult *res;
  gint64 id = 0;

  if (conn->lite)
    return sqlite3_last_insert_rowid (conn->lite);
  /* Every table's id is a BIGSERIAL: the session's latest value. */
  res = PQexec (conn->pg, "SELECT lastval()");
  if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) == 1)
    id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  PQclear (res);
  return id;
}

int
al_conn_socket (AlConn *conn)
{
  return conn->pg ? PQsocket (conn->pg) : -1;
}

/* The next notice waiting on the connection, or NULL; reads what the
 * socket has first. */
char *
al_conn_next_notice (AlConn *conn,
                     char  **channel)
{
  PGnotify *n;
  char *payload;

  if (conn->pg == NULL)
    return NULL;
  PQconsumeInput (conn->pg);
  n = PQnotifies (conn->pg);
  if (n == NULL)
    return NULL;
  payload = g_strdup (n->extra);
  if (channel)
    *channel = g_strdup (n->relname);
  PQfreemem (n);
  return payload;
}

/* Runs @stmt, prepared on its connection the first time it runs with
 * these parameter types: planned once, not at every step. */
static PGresult *
pg_run (AlStmt *stmt)
{
  AlConn *conn = stmt->conn;
  g_autoptr (GString) key = g_string_new (NULL);
  const char *name;

  for (int i = 0; i < stmt->n_params; i++)
    g_string_append_printf (key, "%u,", stmt->types[i]);
  g_string_append_printf (key, "|%s", stmt->sql);
  if (conn->prepared == NULL)
    conn->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  name = g_hash_table_lookup (conn->prepared, key->str);
  if (name == NULL && g_hash_table_size (conn->prepared) < MAX_PREPARED)
    {
      char *made = g_strdup_printf ("al%u", g_hash_table_size (conn->prepared) + 1);
      PGresult *res = PQprepare (conn->pg, made, stmt->sql, stmt->n_params, stmt->types);

      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          g_free (made);
          return res;
        }
      PQclear (res);
      g_hash_table_insert (conn->prepared, g_strdup (key->str), made);
      name = made;
    }
  if (name == NULL)
    return PQexecParams (conn->pg, stmt->sql, stmt->n_params, stmt->types,
                         (const char *const *) stmt->values, NULL, NULL, 0);
  return PQexecPrepared (conn->pg, name, stmt->n_params, (const char *const *) stmt->values,
                         NULL, NULL, 0);
}

int
al_stmt_step (AlStmt *stmt)
{
  ExecStatusType status;

  if (stmt->lite)
    return sqlite3_step (stmt->lite);
  if (stmt->res == NULL)
    {
      int rc = pg_ready (stmt->conn);

      if (rc != SQLITE_OK)
        return rc;
      stmt->res = pg_run (stmt);
      stmt->row = -1;
      status = PQresultStatus (stmt->res);
      if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        {
          rc = pg_failed (stmt->conn, stmt->res);
          g_debug ("%s: %s", stmt->sql, stmt->conn->error);
          PQclear (stmt->res);
          stmt->res = NULL;
          return rc;
        }
    }
  if (++stmt->row < PQntuples (stmt->res))
    return SQLITE_ROW;
  return SQLITE_DONE;
}

int
al_stmt_reset (AlStmt *stmt)
{
  if (stmt->lite)
    return sqlite3_reset (stmt->lite);
  g_clear_pointer (&stmt->res, PQclear);
  return SQLITE_OK;
}

int
al_stmt_finalize (AlStmt *stmt)
{
  int rc = SQLITE_OK;

  if (stmt == NULL)
    return SQLITE_OK;
  /* A statement that failed is made again next time. */
  if (stmt->lite && (rc = sqlite3_reset (stmt->lite)) == SQLITE_OK && keep (stmt->conn, stmt->lite))
    stmt->lite = NULL;
  if (stmt->lite)
    rc = sqlite3_finalize (stmt->lite);
  if (stmt->res)
    PQclear (stmt->res);
  for (int i = 0; stmt->values && i < stmt->n_params; i++)
    g_free (stmt->values[i]);
  g_free (stmt->values);
  g_free (stmt->types);
  g_free (stmt->sql);
  g_free (stmt);
  return rc;
}

int
al_stmt_bind_parameter_count (AlStmt *stmt)
{
  return stmt->lite ? sqlite3_bind_parameter_count (stmt->lite) : stmt->n_params;
}

/* PostgreSQL: parameter @i as text (NULL for SQL NULL), of type @type
 * (0: whatever the statement needs there). */
static int
pg_bind (AlStmt *stmt,
         int     i,
         char   *value,
         Oid     type)
{
  if (i < 1 || i > stmt->n_params)
    {
      g_free (value);
      return SQLITE_RANGE;
    }
  g_free (stmt->values[i - 1]);
  stmt->values[i - 1] = value;
  stmt->types[i - 1] = type;
  return SQLITE_OK;
}

int
al_stmt_bind_text (AlStmt     *stmt,
                   int         i,
                   const char *value,
                   int         n,
                   void      (*destroy) (void *))
{
  if (stmt->lite)
    return sqlite3_bind_text (stmt->lite, i, value, n, destroy);
  /* Typed, NULL too: "?1 IS NULL OR u.name = ?1" has to know. */
  if (value == NULL)
    return pg_bind (stmt, i, NULL, TEXT_OID);
  return pg_bind (stmt, i, n < 0 ? g_strdup (value) : g_strndup (value, n), TEXT_OID);
}

int
al_stmt_bind_int64 (AlStmt *stmt,
                    int     i,
                    gint64  value)
{
  if (stmt->lite)
    return sqlite3_bind_int64 (stmt->lite, i, value);
  return pg_bind (stmt, i, g_strdup_printf ("%" G_GINT64_FORMAT, value), INT8_OID);
}

int
al_stmt_bind_int (AlStmt *stmt,
                  int     i,
                  int     value)
{
  if (stmt->lite)
    return sqlite3_bind_int (stmt->lite, i, value);
  return pg_bind (stmt, i, g_strdup_printf ("%d", value), INT8_OID);
}

int
al_stmt_bind_double (AlStmt *stmt,
                     int     i,
                     double  value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (stmt->lite)
    return sqlite3_bind_double (stmt->lite, i, value);
  return pg_bind (stmt, i, g_strdup (g_ascii_dtostr (buf, sizeof buf, value)), FLOAT8_OID);
}

int
al_stmt_bind_null (AlStmt *stmt,
                   int     i)
{
  if (stmt->lite)
    return sqlite3_bind_null (stmt->lite, i);
  return pg_bind (stmt, i, NULL, 0);
}

static gboolean
pg_has (AlStmt *stmt,
        int     i)
{
  return stmt->res && stmt->row >= 0 && stmt->row < PQntuples (stmt->res) && i >= 0 &&
         i < PQnfields (stmt->res) && !PQgetisnull (stmt->res, stmt->row, i);
}

const unsigned char *
al_stmt_column_text (AlStmt *stmt,
                     int     i)
{
  if (stmt->lite)
    return sqlite3_column_text (stmt->lite, i);
  return pg_has (stmt, i) ? (const unsigned char *) PQgetvalue (stmt->res, stmt->row, i) : NULL;
}

gint64
al_stmt_column_int64 (AlStmt *stmt,
                      int     i)
{
  const char *v;

  if (stmt->lite)
    return sqlite3_column_int64 (stmt->lite, i);
  if (!pg_has (stmt, i))
    return 0;
  v = PQgetvalue (stmt->res, stmt->row, i);
  /* A comparison is a boolean in PostgreSQL, 0 or 1 in SQLite. */
  if (PQftype (stmt->res, i) == BOOL_OID)
    return v[0] == 't';
  if (PQftype (stmt->res, i) == FLOAT8_OID || PQftype (stmt->res, i) == FLOAT4_OID ||
      PQftype (stmt->res, i) == NUMERIC_OID)
    return (gint64) g_ascii_strtod (v, NULL);
  return g_ascii_strtoll (v, NULL, 10);
}

int
al_stmt_column_int (AlStmt *stmt,
                    int     i)
{
  if (stmt->lite)
    return sqlite3_column_int (stmt->lite, i);
  return (int) al_stmt_column_int64 (stmt, i);
}

double
al_stmt_column_double (AlStmt *stmt,
                       int     i)
{
  if (stmt->lite)
    return sqlite3_column_double (stmt->lite, i);
  return pg_has (stmt, i) ? g_ascii_strtod (PQgetvalue (stmt->res, stmt->row, i), NULL) : 0.0;
}

int
al_stmt_column_type (AlStmt *stmt,
                     int     i)
{
  if (stmt->lite)
    return sqlite3_column_type (stmt->lite, i);
  if (!pg_has (stmt, i))
    return SQLITE_NULL;
  switch (PQftype (stmt->res, i))
    {
    case BOOL_OID:
    case INT2_OID:
    case INT4_OID:
    case INT8_OID:
      return SQLITE_INTEGER;
    case FLOAT4_OID:
    case FLOAT8_OID:
    case NUMERIC_OID:
      return SQLITE_FLOAT;
    case BYTEA_OID:
      return SQLITE_BLOB;
    default:
      return SQLITE_TEXT;
    }
}

int
al_stmt_column_count (AlStmt *stmt)
{
  if (stmt->lite)
    return sqlite3_column_count (stmt->lite);
  return stmt->res ? PQnfields (stmt->res) : 0;
}

const char *
al_stmt_column_name (AlStmt *stmt,
                     int     i)
{
  if (stmt->lite)
    return sqlite3_column_name (stmt->lite, i);
  return stmt->res ? PQfname (stmt->res, i) : NULL;
}
