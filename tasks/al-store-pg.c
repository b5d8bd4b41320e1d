/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <poll.h>
#include <string.h>

#include "al-store-private.h"

/* What the store's SQL calls that PostgreSQL does not have: SQLite's
 * json_extract (as text), instr and its two-argument max and min. */
static const char functions_sql[] =
  "CREATE OR REPLACE FUNCTION json_extract(j text, path text) RETURNS text"
  "  LANGUAGE sql IMMUTABLE AS"
  "  $$ SELECT (j::jsonb) #>> string_to_array(substring(path from 3), '.') $$;"
  "CREATE OR REPLACE FUNCTION max(a bigint, b bigint) RETURNS bigint"
  "  LANGUAGE sql IMMUTABLE AS $$ SELECT GREATEST(a, b) $$;"
  "CREATE OR REPLACE FUNCTION instr(a text, b text) RETURNS bigint"
  "  LANGUAGE sql IMMUTABLE AS $$ SELECT strpos(a, b) $$;"
  "CREATE OR REPLACE FUNCTION min(a bigint, b bigint) RETURNS bigint"
  "  LANGUAGE sql IMMUTABLE AS $$ SELECT LEAST(a, b) $$;"
  /* SQLite keeps its version in the file's header; here it is a row. */
  "CREATE TABLE IF NOT EXISTS annolab_schema (version BIGINT NOT NULL);";

/* As SQLite's triggers in al-store.c: tasks.holders counts the task's
 * leases that are active and counted, users.answers and gold_answers a
 * person's results. */
static const char counts_sql[] =
  "CREATE OR REPLACE FUNCTION annolab_count_holders() RETURNS trigger LANGUAGE plpgsql AS $$"
  " DECLARE was boolean := false; now_held boolean := false;"
  " BEGIN"
  "  IF TG_OP <> 'INSERT' THEN was := OLD.counted = 1 AND OLD.state = 'active'; END IF;"
  "  IF TG_OP <> 'DELETE' THEN now_held := NEW.counted = 1 AND NEW.state = 'active'; END IF;"
  "  IF was AND NOT now_held THEN"
  "   UPDATE tasks SET holders = holders - 1 WHERE seq = OLD.task_seq;"
  "  ELSIF now_held AND NOT was THEN"
  "   UPDATE tasks SET holders = holders + 1 WHERE seq = NEW.task_seq;"
  "  END IF;"
  "  RETURN NULL;"
  " END $$;"
  "CREATE OR REPLACE TRIGGER leases_holders AFTER INSERT OR DELETE OR UPDATE OF state, counted"
  "  ON leases FOR EACH ROW EXECUTE FUNCTION annolab_count_holders();"
  "CREATE OR REPLACE FUNCTION annolab_count_answers() RETURNS trigger LANGUAGE plpgsql AS $$"
  " DECLARE r record := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;"
  "  step bigint := CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END;"
  " BEGIN"
  "  UPDATE users SET answers = answers + step, gold_answers = gold_answers + step *"
  "   (SELECT count(*) FROM tasks t WHERE t.seq = r.task_seq AND t.is_gold = 1"
  "    AND t.training = 0) WHERE id = r.user_id;"
  "  RETURN NULL;"
  " END $$;"
  "CREATE OR REPLACE TRIGGER results_answers AFTER INSERT OR DELETE ON results"
  "  FOR EACH ROW EXECUTE FUNCTION annolab_count_answers();"
  "CREATE OR REPLACE FUNCTION annolab_gold_changed() RETURNS trigger LANGUAGE plpgsql AS $$"
  " DECLARE was boolean := OLD.is_gold = 1 AND OLD.training = 0;"
  "  now_gold boolean := NEW.is_gold = 1 AND NEW.training = 0;"
  " BEGIN"
  "  IF was <> now_gold THEN"
  "   UPDATE users u SET gold_answers = gold_answers + (CASE WHEN now_gold THEN 1 ELSE -1 END) *"
  "    (SELECT count(*) FROM results r WHERE r.task_seq = NEW.seq AND r.user_id = u.id)"
  "    WHERE u.id IN (SELECT user_id FROM results WHERE task_seq = NEW.seq);"
  "  END IF;"
  "  RETURN NULL;"
  " END $$;"
  "CREATE OR REPLACE TRIGGER tasks_gold_changed AFTER UPDATE OF is_gold, training ON tasks"
  "  FOR EACH ROW EXECUTE FUNCTION annolab_gold_changed();";

/* Schema 7 added the holders, schema 8 the answers; the columns come
 * before the schema, whose indexes need them. */
static const char uncounted_sql[] =
  "ALTER TABLE tasks ADD COLUMN IF NOT EXISTS holders BIGINT NOT NULL DEFAULT 0;"
  "ALTER TABLE leases ADD COLUMN IF NOT EXISTS counted BIGINT NOT NULL DEFAULT 1;"
  "ALTER TABLE users ADD COLUMN IF NOT EXISTS answers BIGINT NOT NULL DEFAULT 0;"
  "ALTER TABLE users ADD COLUMN IF NOT EXISTS gold_answers BIGINT NOT NULL DEFAULT 0;";

/* The same tables and indexes: a row id is a BIGSERIAL, every integer
 * 64 bits as in SQLite. A table without an integer key gets the rowid
 * that SQLite gives it (ORDER BY rowid: the order rows came in). */
static char *
pg_schema (const char *schema_sql)
{
  static const char create[] = "CREATE TABLE IF NOT EXISTS ";
  g_auto (GStrv) parts = g_strsplit (schema_sql, create, -1);
  g_autoptr (GString) sql = g_string_new (parts[0]);

  for (int i = 1; parts[i]; i++)
    {
      const char *open = strchr (parts[i], '(');
      const char *end = strstr (parts[i], ");");

      g_string_append (sql, create);
      if (open && end && !g_strstr_len (parts[i], end - parts[i], "INTEGER PRIMARY KEY"))
        {
          g_string_append_len (sql, parts[i], open + 1 - parts[i]);
          g_string_append (sql, "rowid BIGSERIAL, ");
          g_string_append (sql, open + 1);
        }
      else
        g_string_append (sql, parts[i]);
    }
  g_string_replace (sql, "INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY", 0);
  g_string_replace (sql, "INTEGER", "BIGINT", 0);
  g_string_append (sql, functions_sql);
  return g_strdup (sql->str);
}

static gint64
query_int (AlStore    *store,
           const char *sql)
{
  g_autoptr (AlStmt) stmt = al_store_prepare (store, sql, NULL);
  return stmt && al_stmt_step (stmt) == SQLITE_ROW ? al_stmt_column_int64 (stmt, 0) : -1;
}

gboolean
al_store_pg_schema (AlStore    *store,
                    const char *schema_sql,
                    int         version,
                    GError    **error)
{
  g_autofree char *sql = pg_schema (schema_sql);
  g_autofree char *set_version = NULL;
  gint64 found = -1;
  gboolean uncounted, ok;

  if (query_int (store, "SELECT count(*) FROM information_schema.tables"
                        " WHERE table_schema = current_schema()") > 0)
    {
      g_autofree char *format = al_store_get_meta (store, "format");

      if (g_strcmp0 (format, "annolab") != 0)
        {
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CORRUPT,
                       _("%s is a PostgreSQL database but not an annolab database; it was left "
                       "as it is."), store->name);
          return FALSE;
        }
      found = query_int (store, "SELECT max(version) FROM annolab_schema");
      if (found > version)
        {
          g_autofree char *v = g_strdup_printf ("%" G_GINT64_FORMAT, found);
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID,
                       _("%s was made by a newer annolab (schema %s); update annolab to open it."),
                       store->name, v);
          return FALSE;
        }
    }

  /* Every time, as on SQLite (a table added later appears), and under the
   * write lock, so that servers starting at once on a new database create
   * it once. */
  set_version = g_strdup_printf ("DELETE FROM annolab_schema;"
                                 "INSERT INTO annolab_schema(version) VALUES (%d)", version);
  uncounted = found >= 0 && found < 8;
  ok = al_store_begin (store, error) &&
       (!uncounted || al_store_exec (store, uncounted_sql, error)) &&
       al_store_exec (store, sql, error) &&
       (found >= 8 || al_store_exec (store, counts_sql, error)) &&
       (!uncounted || al_store_recount (store, error)) &&
       al_store_set_meta (store, "format", "annolab", error) &&
       al_store_exec (store, set_version, error) && al_store_commit (store, error);
  if (!ok)
    al_store_rollback (store);
  return ok;
}

/* Notices between servers: NOTIFY on one connection, LISTEN on a thread
 * with a connection of its own. */

#define CHANNEL "annolab_live"

typedef struct
{
  AlStore *store;
  AlConn *conn;
  AlStoreNoticeFunc func;
  gpointer data;
} Listener;

static gpointer
listen_main (gpointer data)
{
  Listener *l = data;
  struct pollfd fd = { al_conn_socket (l->conn), POLLIN, 0 };

  /* Woken every 200 ms at most, to see whether the store closes. */
  while (atomic_load (&l->store->listening))
    {
      char *payload;

      if (al_conn_is_lost (l->conn))
        {
          /* A closed socket is always ready: without this the thread
           * spins. Notices sent meanwhile are lost; a workstation's next
           * event (a heartbeat at the latest) brings the view up to date. */
          g_usleep (G_USEC_PER_SEC / 5);
          if (al_conn_reconnect (l->conn, "LISTEN " CHANNEL))
            fd.fd = al_conn_socket (l->conn);
          continue;
        }
      if (poll (&fd, 1, 200) < 0)
        continue;
      while ((payload = al_conn_next_notice (l->conn, NULL)))
        {
          l->func (payload, l->data);
          g_free (payload);
        }
    }
  al_conn_close (l->conn);
  g_free (l);
  return NULL;
}

gboolean
al_store_listen (AlStore          *store,
                 AlStoreNoticeFunc func,
                 gpointer          user_data,
                 GError          **error)
{
  Listener *l;
  int rc;

  g_return_val_if_fail (store != NULL && func != NULL, FALSE);

  if (!store->postgres || store->listener)
    return TRUE;
  l = g_new0 (Listener, 1);
  l->store = store;
  l->func = func;
  l->data = user_data;
  rc = al_conn_open (store->path, 0, &l->conn);
  if (rc == SQLITE_OK)
    rc = al_conn_exec (l->conn, "LISTEN " CHANNEL);
  if (rc == SQLITE_OK)
    rc = al_conn_open (store->path, 0, &store->notify_conn);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_FAILED,
                   "Listening for other servers on %s failed: %s", store->name,
                   al_conn_errmsg (store->notify_conn ? store->notify_conn : l->conn));
      al_conn_close (l->conn);
      g_clear_pointer (&store->notify_conn, al_conn_close);
      g_free (l);
      return FALSE;
    }
  atomic_store (&store->listening, 1);
  store->listener = g_thread_new ("store-listen", listen_main, l);
  return TRUE;
}

void
al_store_notify (AlStore    *store,
                 const char *payload)
{
  g_autoptr (AlStmt) stmt = NULL;

  if (store->notify_conn == NULL)
    return;
  g_mutex_lock (&store->notify_lock);
  if (al_conn_prepare (store->notify_conn, "SELECT pg_notify('" CHANNEL "', ?1)", &stmt) ==
      SQLITE_OK)
    {
      al_stmt_bind_text (stmt, 1, payload, -1, SQLITE_STATIC);
      /* The live view is a convenience: a lost notice is not an error. */
      if (al_stmt_step (stmt) != SQLITE_ROW)
        g_debug ("a live notice was not sent: %s", al_conn_errmsg (store->notify_conn));
    }
  g_clear_pointer (&stmt, al_stmt_finalize);
  g_mutex_unlock (&store->notify_lock);
}

void
al_store_listen_stop (AlStore *store)
{
  if (store->listener)
    {
      atomic_store (&store->listening, 0);
      g_thread_join (store->listener);
      store->listener = NULL;
    }
}

void
al_store_pg_close (AlStore *store)
{
  al_store_listen_stop (store);
  g_clear_pointer (&store->notify_conn, al_conn_close);
}
