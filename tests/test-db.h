/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Tests look into a database from outside, as an admin with the sqlite3
 * tool would, through a connection of their own. */

#include <glib.h>
#include <sqlite3.h>

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
