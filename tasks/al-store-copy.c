/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "al-store-private.h"

/* Tables in an order that keeps every foreign key satisfied while rows
 * go in; tables not named here (added later) follow in name order. */
static const char *const first[] = {
  "meta", "datasets", "media", "media_roots", "tasks", "users", "leases", "results", "events",
  "drafts", "outbox", "audit_log", "broken_reports", "refusals", "passes", "session_state", NULL
};

static GPtrArray *
list_tables (AlStore *store,
             GError **error)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (AlStmt) stmt = NULL;
  int rc;

  stmt = al_store_prepare (store, store->postgres
    ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
      " AND table_type = 'BASE TABLE' AND table_name <> 'annolab_schema' ORDER BY 1"
    : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      " ORDER BY 1", error);
  if (!stmt)
    return NULL;
  while ((rc = al_stmt_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (found, g_strdup ((const char *) al_stmt_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Listing the tables", error), NULL;
  for (int i = 0; first[i]; i++)
    if (g_ptr_array_find_with_equal_func (found, first[i], g_str_equal, NULL))
      g_ptr_array_add (tables, g_strdup (first[i]));
  for (guint i = 0; i < found->len; i++)
    if (!g_strv_contains (first, found->pdata[i]))
      g_ptr_array_add (tables, g_strdup (found->pdata[i]));
  return g_steal_pointer (&tables);
}

static gint64
count_rows (AlStore    *store,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  g_autoptr (AlStmt) stmt = al_store_prepare (store, sql, NULL);
  return stmt && al_stmt_step (stmt) == SQLITE_ROW ? al_stmt_column_int64 (stmt, 0) : -1;
}

/* Every row of @table, in the order it came (rowid; on PostgreSQL the
 * first column is the id or rowid), without SQLite's or PostgreSQL's own
 * rowid, which the target makes anew. */
static gboolean
copy_table (AlStore    *from,
            AlStore    *to,
            const char *table,
            GError    **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT * FROM %s ORDER BY %s", table,
                                             from->postgres ? "1" : "rowid");
  g_autoptr (AlStmt) src = al_store_prepare (from, select, error);
  g_autoptr (AlStmt) ins = NULL;
  int rc, n = 0;

  if (!src)
    return FALSE;
  while ((rc = al_stmt_step (src)) == SQLITE_ROW)
    {
      if (ins == NULL)
        {
          g_autoptr (GString) sql = g_string_new (NULL);
          g_autoptr (GString) values = g_string_new (NULL);

          n = al_stmt_column_count (src);
          g_string_printf (sql, "INSERT INTO %s(", table);
          for (int c = 0, k = 0; c < n; c++)
            {
              if (g_str_equal (al_stmt_column_name (src, c), "rowid"))
                continue;
              g_string_append_printf (sql, "%s%s", k ? ", " : "", al_stmt_column_name (src, c));
              g_string_append_printf (values, "%s?%d", k ? ", " : "", k + 1);
              k++;
            }
          g_string_append_printf (sql, ") VALUES (%s)", values->str);
          ins = al_store_prepare (to, sql->str, error);
          if (!ins)
            return FALSE;
        }
      al_stmt_reset (ins);
      for (int c = 0, k = 1; c < n; c++)
        {
          if (g_str_equal (al_stmt_column_name (src, c), "rowid"))
            continue;
          switch (al_stmt_column_type (src, c))
            {
            case SQLITE_NULL:
              al_stmt_bind_null (ins, k);
              break;
            case SQLITE_INTEGER:
              al_stmt_bind_int64 (ins, k, al_stmt_column_int64 (src, c));
              break;
            case SQLITE_FLOAT:
              al_stmt_bind_double (ins, k, al_stmt_column_double (src, c));
              break;
            default:
              al_stmt_bind_text (ins, k, (const char *) al_stmt_column_text (src, c), -1,
                                 SQLITE_TRANSIENT);
              break;
            }
          k++;
        }
      rc = al_stmt_step (ins);
      if (rc != SQLITE_DONE)
        {
          g_autofree char *what = g_strdup_printf ("Copying the table %s", table);
          return al_store_set_error (to, rc, what, error);
        }
    }
  if (rc != SQLITE_DONE)
    {
      g_autofree char *what = g_strdup_printf ("Reading the table %s", table);
      return al_store_set_error (from, rc, what, error);
    }
  return TRUE;
}

/* PostgreSQL hands out ids from sequences, which copied rows did not use. */
static gboolean
reset_sequences (AlStore *store,
                 GError **error)
{
  g_autoptr (AlStmt) stmt = NULL;
  g_autoptr (GPtrArray) sql = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (!store->postgres)
    return TRUE;
  stmt = al_store_prepare (store, "SELECT table_name, column_name FROM information_schema.columns"
                                  " WHERE table_schema = current_schema()"
                                  " AND column_default LIKE 'nextval(%'", error);
  if (!stmt)
    return FALSE;
  while ((rc = al_stmt_step (stmt)) == SQLITE_ROW)
    {
      const char *t = (const char *) al_stmt_column_text (stmt, 0);
      const char *c = (const char *) al_stmt_column_text (stmt, 1);
      g_ptr_array_add (sql, g_strdup_printf ("SELECT setval(pg_get_serial_sequence('%s', '%s'),"
                                             " COALESCE((SELECT max(%s) FROM %s), 0) + 1, false)",
                                             t, c, c, t));
    }
  if (rc != SQLITE_DONE)
    return al_store_set_error (store, rc, "Setting the ids", error);
  for (guint i = 0; i < sql->len; i++)
    if (!al_store_exec (store, sql->pdata[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
copy_all (AlStore *from,
          AlStore *to,
          gint64  *rows,
          GError **error)
{
  g_autoptr (GPtrArray) tables = list_tables (from, error);
  g_autoptr (GPtrArray) target = NULL;

  if (!tables || !(target = list_tables (to, error)))
    return FALSE;
  for (guint i = 0; i < target->len; i++)
    {
      const char *t = target->pdata[i];
      gint64 n = g_str_equal (t, "meta") ? 0 : count_rows (to, t);
      if (n != 0)
        {
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_CONFLICT,
                       _("%s already holds a queue (its table %s is not empty): copy only into "
                       "a new, empty database. Nothing was copied."), to->name, t);
          return FALSE;
        }
    }
  /* Only the format row, made when the target was opened. */
  if (!al_store_exec (to, "DELETE FROM meta", error))
    return FALSE;
  for (guint i = 0; i < tables->len; i++)
    {
      if (!g_ptr_array_find_with_equal_func (target, tables->pdata[i], g_str_equal, NULL))
        {
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_INVALID,
                       _("%s has a table %s that %s does not have; nothing was copied."),
                       from->name, (char *) tables->pdata[i], to->name);
          return FALSE;
        }
      if (!copy_table (from, to, tables->pdata[i], error))
        return FALSE;
    }
  /* Checked before the commit: every table holds as many rows as the
   * source read in the same snapshot. */
  *rows = 0;
  for (guint i = 0; i < tables->len; i++)
    {
      gint64 a = count_rows (from, tables->pdata[i]), b = count_rows (to, tables->pdata[i]);
      if (a < 0 || a != b)
        {
          g_autofree char *in_from = g_strdup_printf ("%" G_GINT64_FORMAT, a);
          g_autofree char *in_to = g_strdup_printf ("%" G_GINT64_FORMAT, b);
          g_set_error (error, AL_STORE_ERROR, AL_STORE_ERROR_FAILED,
                       _("The table %s has %s rows in %s but %s in the copy; nothing was copied."),
                       (char *) tables->pdata[i], in_from, from->name, in_to);
          return FALSE;
        }
      *rows += a;
    }
  /* Each copied lease counted once more among its task's holders. */
  return al_store_recount (to, error) && reset_sequences (to, error);
}

gboolean
al_store_copy (AlStore *from,
               AlStore *to,
               gint64  *rows,
               GError **error)
{
  gint64 n = 0;
  gboolean ok;

  g_return_val_if_fail (from != NULL && to != NULL && from != to, FALSE);

  al_store_lock (from);
  al_store_lock (to);
  /* One snapshot of the source; the target all or nothing. */
  ok = al_store_exec (from, "BEGIN", error) && al_store_begin (to, error) &&
       copy_all (from, to, &n, error) && al_store_commit (to, error);
  if (!ok)
    al_store_rollback (to);
  al_store_rollback (from);
  al_store_unlock (to);
  al_store_unlock (from);
  if (rows)
    *rows = ok ? n : 0;
  return ok;
}
