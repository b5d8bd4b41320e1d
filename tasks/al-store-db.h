/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store's statements, on SQLite or PostgreSQL. The calls have the
 * names, arguments and result codes of SQLite's own (al_stmt_step ↔
 * sqlite3_step, SQLITE_ROW, SQLITE_CONSTRAINT…), so the store's files
 * read as before; on PostgreSQL a statement runs with its parameters as
 * text when it is first stepped, and each step reads the next row. SQL
 * for both uses ?N or ? placeholders and what both databases know. */

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _AlConn AlConn;
typedef struct _AlStmt AlStmt;

/* @where is a file name or a postgresql:// (postgres://) URI. */
gboolean    al_db_is_postgres (const char *where);
/* The URI without its password, to name the database in messages. */
char       *al_db_display_name (const char *where);

/* Returns an SQLite result code; *@conn is set even on failure (for the
 * message) unless the code is SQLITE_NOMEM. */
int         al_conn_open      (const char *where,
                               int         sqlite_flags,
                               AlConn    **conn);
void        al_conn_close     (AlConn     *conn);
gboolean    al_conn_is_postgres (AlConn   *conn);
sqlite3    *al_conn_sqlite    (AlConn     *conn);
int         al_conn_exec      (AlConn     *conn,
                               const char *sql);
int         al_conn_prepare   (AlConn     *conn,
                               const char *sql,
                               AlStmt    **stmt);
const char *al_conn_errmsg    (AlConn     *conn);
int         al_conn_system_errno (AlConn  *conn);
int         al_conn_get_autocommit (AlConn *conn);
gint64      al_conn_last_insert_rowid (AlConn *conn);
/* PostgreSQL: whether the server dropped the connection; making it
 * again now (outside a transaction, once a second at most), then running
 * @again_sql on it, now and after each later reconnection. */
gboolean    al_conn_is_lost   (AlConn     *conn);
gboolean    al_conn_reconnect (AlConn     *conn,
                               const char *again_sql);
/* PostgreSQL only: LISTEN/NOTIFY, the live feed between servers. */
int         al_conn_socket    (AlConn     *conn);
char       *al_conn_next_notice (AlConn   *conn,
                                 char    **channel);

int         al_stmt_step      (AlStmt     *stmt);
int         al_stmt_reset     (AlStmt     *stmt);
int         al_stmt_finalize  (AlStmt     *stmt);
int         al_stmt_bind_parameter_count (AlStmt *stmt);
int         al_stmt_bind_text (AlStmt     *stmt,
                               int         i,
                               const char *value,
                               int         n,
                               void      (*destroy) (void *));
int         al_stmt_bind_int64 (AlStmt    *stmt,
                                int        i,
                                gint64     value);
int         al_stmt_bind_int  (AlStmt     *stmt,
                               int         i,
                               int         value);
int         al_stmt_bind_double (AlStmt   *stmt,
                                 int       i,
                                 double    value);
int         al_stmt_bind_null (AlStmt     *stmt,
                               int         i);
const unsigned char *al_stmt_column_text (AlStmt *stmt,
                                          int     i);
gint64      al_stmt_column_int64 (AlStmt  *stmt,
                                  int      i);
int         al_stmt_column_int (AlStmt    *stmt,
                                int        i);
double      al_stmt_column_double (AlStmt *stmt,
                                   int     i);
int         al_stmt_column_type (AlStmt   *stmt,
                                 int       i);
/* After the first step on PostgreSQL, at once on SQLite. */
int         al_stmt_column_count (AlStmt  *stmt);
const char *al_stmt_column_name (AlStmt   *stmt,
                                 int       i);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlStmt, al_stmt_finalize)

G_END_DECLS
