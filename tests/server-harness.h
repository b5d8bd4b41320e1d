/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Starts the real annolab-queue on 127.0.0.1 port 0 and talks to it with
 * libcurl, for the integration tests. */

#include <curl/curl.h>
#include <gio/gio.h>
#include <jansson.h>

typedef struct
{
  char *dir;
  char *db;
  char *url;
  GSubprocess *proc;
} Server;

typedef struct
{
  long status;
  char *body;
  json_t *json;
  char *etag;
  char *content_range;
  char *headers;       /* all response header lines, as received */
  gsize body_length;   /* media bodies may hold NUL bytes */
} Reply;

char  *harness_queue_path (void);
/* The lab's database for a test folder: lab.db in it, or a database of
 * its own on the PostgreSQL server of ANNOLAB_TEST_PG_HOST. */
char  *harness_db         (const char  *dir);
char  *harness_run        (const char  *db,
                           const char  *first,
                           ...) G_GNUC_NULL_TERMINATED;
/* For setting up a lab: copies data/demo/@from to @dir/@name (media must
 * be in the dataset's folder); writes @text to @dir/tasks.jsonl and
 * imports it into @dir/lab.db with no gold mixed in, returning the
 * database; adds a user, returning the token. */
void   harness_copy_demo  (const char  *dir,
                           const char  *from,
                           const char  *name);
char  *harness_import     (const char  *dir,
                           const char  *text);
char  *harness_add_user   (const char  *db,
                           const char  *name,
                           const char  *role,
                           const char  *group);
void   server_start       (Server      *s,
                           const char  *dir);
void   server_kill        (Server      *s,
                           int          signal);
void   server_cleanup     (Server      *s);
Reply *http               (Server      *s,
                           const char  *method,
                           const char  *path,
                           const char  *token,
                           const char  *body,
                           const char *const *headers);
void   reply_free         (Reply       *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)
