/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdio.h>

#include "al-task.h"

G_BEGIN_DECLS

#define AL_STORE_ERROR (al_store_error_quark ())
GQuark al_store_error_quark (void);

typedef enum
{
  AL_STORE_ERROR_FAILED,
  AL_STORE_ERROR_CORRUPT,     /* the file is not a healthy annolab database */
  AL_STORE_ERROR_READONLY,
  AL_STORE_ERROR_FULL,
  AL_STORE_ERROR_IMPORT,
  AL_STORE_ERROR_NOT_FOUND,
  AL_STORE_ERROR_FORBIDDEN,
  AL_STORE_ERROR_INVALID,
  AL_STORE_ERROR_CONFLICT,
  AL_STORE_ERROR_BUSY,
  AL_STORE_ERROR_ALREADY_SUBMITTED, /* the lease or task already has this person's result */
  AL_STORE_ERROR_LEASE_GONE,        /* expired and given to others, or reported broken */
  AL_STORE_ERROR_KEY_REUSED,        /* an idempotency key sent again with something else */
  AL_STORE_ERROR_TOO_MANY_LEASES,
  AL_STORE_ERROR_TOO_MANY_BROKEN,   /* a participant's open broken reports are at their cap */
  AL_STORE_ERROR_TOO_MANY_PASSES,   /* a participant passed on as many tasks today as allowed */
  AL_STORE_ERROR_UNAVAILABLE,       /* the database server cannot be reached now */
} AlStoreError;

/* How many tasks one participant may take out of the pool as broken in a
 * day before a coach has looked at them: one person cannot empty it. */
#define AL_STORE_MAX_OPEN_BROKEN 5

/* How many tasks one participant may pass on in a day ("max_passes"
 * changes it): a pass keeps the task from them, so without a cap one
 * person could pass the whole pool away from themselves. */
#define AL_STORE_MAX_PASSES 10

typedef struct _AlStore AlStore;

/* How the workstation is used now. In voice mode a participant gets tasks
 * that can be done by ear only (transcription), unless their coach allowed
 * image tasks in voice mode (the setting "voice_images"). AS_SETTINGS
 * takes the participant's "voice" setting, for workstations that do not
 * say. */
typedef enum
{
  AL_LEASE_AS_SETTINGS,
  AL_LEASE_SCREEN,
  AL_LEASE_VOICE,
} AlLeaseMode;

typedef struct
{
  gint64 id;
  char *name;
  char *role;       /* "participant" or "coach" (older databases may hold "admin": no access) */
  char *group;
  json_t *settings; /* allowed kinds, voice mode, plan, gold share: owned */
} AlUser;

typedef gint64 (*AlClockFunc) (gpointer user_data);

/* Scores a result against the task's gold answer; returns a new object
 * (numbers for the coach, words for the participant) or NULL. */
typedef json_t *(*AlScoreFunc) (const AlTask *task,
                                json_t       *result,
                                gpointer      user_data);

AlStore  *al_store_open            (const char  *path,
                                    GError     **error);
AlStore  *al_store_ref             (AlStore     *store);
void      al_store_unref           (AlStore     *store);
const char *al_store_get_path      (AlStore     *store);
void      al_store_set_clock       (AlStore     *store,
                                    AlClockFunc  clock,
                                    gpointer     user_data);
gint64    al_store_now_ms          (AlStore     *store);
/* Reads an image's size for box results on tasks whose size the import
 * did not give; without one, boxes are only held to the largest image. */
typedef gboolean (*AlImageSizeFunc) (const char *path,
                                     int        *width,
                                     int        *height);
void      al_store_set_image_size_func (AlStore        *store,
                                        AlImageSizeFunc func);
AlImageSizeFunc al_store_get_image_size_func (AlStore  *store);
void      al_store_set_scorer      (AlStore     *store,
                                    AlScoreFunc  scorer,
                                    gpointer     user_data);

/* For a command that may run while a server has the same file open: it
 * checkpoints what it can on close but never deletes the WAL. */
void      al_store_set_shared      (AlStore     *store);

/* For a server: one thread writes, and every write waiting for it goes
 * into the same transaction and the same fsync; a write returns only when
 * that transaction is on disk. Reads go through connections of their own. */
gboolean  al_store_start_writer    (AlStore     *store,
                                    GError     **error);
/* How many transactions this store has committed. */
gint64    al_store_count_commits   (AlStore     *store);

/* Settings kept in the database: "gold_share", "lease_seconds", ... */
char     *al_store_get_meta        (AlStore     *store,
                                    const char  *key);
gboolean  al_store_set_meta        (AlStore     *store,
                                    const char  *key,
                                    const char  *value,
                                    GError     **error);

/* Tasks. An import is all or nothing. */
gint64    al_store_count_tasks     (AlStore     *store);
/* Several servers on one PostgreSQL database: each sends what its live
 * view learns (al_store_notify) and hears the others' (@func, called on
 * a thread of the store's own). On SQLite, where one server holds the
 * database, both do nothing. */
typedef void (*AlStoreNoticeFunc) (const char *payload,
                                   gpointer    user_data);
gboolean  al_store_listen          (AlStore     *store,
                                    AlStoreNoticeFunc func,
                                    gpointer     user_data,
                                    GError     **error);
void      al_store_notify          (AlStore     *store,
                                    const char  *payload);
/* After it returns, @func is not called again. */
void      al_store_listen_stop     (AlStore     *store);

/* Copies every table of @from into @to, a new and empty database (the
 * other backend, say), in one transaction; the row counts of every table
 * are compared before it commits. @rows: how many rows were copied. */
gboolean  al_store_copy            (AlStore     *from,
                                    AlStore     *to,
                                    gint64      *rows,
                                    GError     **error);
gboolean  al_store_import_tasks    (AlStore     *store,
                                    GPtrArray   *tasks,
                                    const char  *dataset,
                                    const char  *format,
                                    GError     **error);
AlTask   *al_store_get_task        (AlStore     *store,
                                    const char  *task_id,
                                    GError     **error);
gboolean  al_store_import_dataset  (AlStore     *store,
                                    GPtrArray   *tasks,
                                    const char  *dataset,
                                    const char  *format,
                                    const char  *media_root,
                                    GError     **error);
char     *al_store_get_media_path  (AlStore     *store,
                                    gint64       media_id);
/* The media number of a task, or -1. */
gint64    al_store_task_media_id   (AlStore     *store,
                                    const char  *task_id);
/* Whether @user_id holds or held a lease on a task with this media. */
gboolean  al_store_user_held_media (AlStore     *store,
                                    gint64       user_id,
                                    gint64       media_id);
/* Changes tasks in one transaction, all or nothing, and marks them gold:
 * @edit gets each task's data (NULL when there is no task @task_ids[i])
 * to change in place, or refuses with an error. */
typedef gboolean (*AlStoreTaskEditFunc) (guint     index,
                                         json_t   *data,
                                         gpointer  user_data,
                                         GError  **error);
gboolean  al_store_set_gold        (AlStore     *store,
                                    const char *const *task_ids,
                                    AlStoreTaskEditFunc edit,
                                    gpointer     user_data,
                                    GError     **error);

/* Media the server may serve: @media_root of an import (a real, absolute
 * folder) is registered with its tasks. al_store_open_media returns a
 * descriptor for a regular file inside a registered folder that is not the
 * database or its -wal, -shm or -journal; else -1 with NOT_FOUND (no such
 * media), FORBIDDEN (outside) or a G_FILE_ERROR (gone). */
gboolean  al_store_add_media_root  (AlStore     *store,
                                    const char  *root,
                                    GError     **error);
int       al_store_open_media      (AlStore     *store,
                                    gint64       media_id,
                                    char       **path,
                                    GError     **error);
/* Whether @real (a resolved path) is the database or one of its -wal,
 * -shm or -journal files, by name or, with @st, by inode. */
struct stat;
gboolean  al_store_is_own_file     (AlStore     *store,
                                    const char  *real,
                                    const struct stat *st);
/* Where an export or a work record may be written: never over the
 * database or its files, nor over a dataset's photo or recording (by name,
 * through a symlink, or by hard link). Returns the resolved path to write
 * to, or NULL with FORBIDDEN naming @output. */
char     *al_store_check_output    (AlStore     *store,
                                    const char  *output,
                                    GError     **error);
/* Whether resolved @real lies below resolved @root. */
gboolean  al_path_is_inside        (const char  *real,
                                    const char  *root);

/* Users. Tokens are only ever stored as SHA-256 hashes. */
AlUser   *al_store_ensure_user     (AlStore     *store,
                                    const char  *name,
                                    const char  *role,
                                    const char  *group,
                                    GError     **error);
AlUser   *al_store_add_user        (AlStore     *store,
                                    const char  *name,
                                    const char  *role,
                                    const char  *group,
                                    char       **token,
                                    GError     **error);
AlUser   *al_store_find_user       (AlStore     *store,
                                    const char  *name);
/* A new token for the user named @name; the old one no longer works. */
char     *al_store_renew_token     (AlStore     *store,
                                    const char  *name,
                                    GError     **error);
/* Whether the database answers now (GET /api/v1/health). */
gboolean  al_store_ping            (AlStore     *store,
                                    GError     **error);
/* NULL for a token that is not valid, and with @error set when the
 * database could not be asked. */
AlUser   *al_store_user_by_token   (AlStore     *store,
                                    const char  *token,
                                    GError     **error);
gboolean  al_store_set_user_settings (AlStore   *store,
                                    gint64       user_id,
                                    json_t      *settings,
                                    GError     **error);
void      al_user_free             (AlUser      *user);

/* Leases and results. al_store_lease() returns NULL without an error when
 * nothing is left for this participant. */
AlTask   *al_store_lease           (AlStore     *store,
                                    const AlUser *user,
                                    GError     **error);
/* The same, skipping the participant's own leases in @exclude: a
 * workstation that holds a task asks for the next one to prefetch. */
AlTask   *al_store_lease_excluding (AlStore     *store,
                                    const AlUser *user,
                                    const char *const *exclude,
                                    GError     **error);
/* The same, routed by @mode: a lease the participant holds of a kind the
 * mode does not allow is released, so it goes to someone else. */
AlTask   *al_store_lease_mode      (AlStore     *store,
                                    const AlUser *user,
                                    const char *const *exclude,
                                    AlLeaseMode  mode,
                                    GError     **error);
gboolean  al_store_heartbeat       (AlStore     *store,
                                    const AlUser *user,
                                    const char  *lease_id,
                                    gint64      *expires_ms,
                                    GError     **error);
json_t   *al_store_submit          (AlStore     *store,
                                    const AlUser *user,
                                    const char  *lease_id,
                                    const char  *idempotency_key,
                                    json_t      *result,
                                    gint64       lead_time_ms,
                                    GError     **error);
gboolean  al_store_report_broken   (AlStore     *store,
                                    const AlUser *user,
                                    const char  *lease_id,
                                    const char  *reason,
                                    GError     **error);
/* "I can't do this one": the lease is released and the task goes to
 * someone else, not back to @user that day; no result, so it counts as
 * neither right nor wrong. @reason is one of al_store_pass_reasons(). */
const char *const *al_store_pass_reasons (void);
gboolean  al_store_pass            (AlStore     *store,
                                    const AlUser *user,
                                    const char  *lease_id,
                                    const char  *reason,
                                    GError     **error);
/* @user's passes since @since_ms: {"count": N, "reasons": {"noisy": N, ...}}. */
json_t   *al_store_count_passes    (AlStore     *store,
                                    const AlUser *user,
                                    gint64       since_ms);
/* Records that the server refused something of @user, for the coach. */
void      al_store_add_refusal     (AlStore     *store,
                                    const AlUser *user,
                                    const char  *code,
                                    const char  *message,
                                    const char  *lease_id);
gint64    al_store_count_results   (AlStore     *store,
                                    gint64       user_id);
gboolean  al_store_export_jsonl    (AlStore     *store,
                                    FILE        *out,
                                    GError     **error);

/* Everything an export reads, from one snapshot: every task by its
 * number, then every result (only @annotator's, when given) by task,
 * participant name and arrival. A row whose JSON cannot be read stops the
 * read with CORRUPT for tasks and is skipped for results. */
typedef gboolean (*AlStoreTaskRowFunc)   (gint64      seq,
                                          json_t     *data,
                                          gpointer    user_data,
                                          GError    **error);
typedef void     (*AlStoreResultRowFunc) (gint64      task_seq,
                                          gint64      user_id,
                                          const char *user_name,
                                          json_t     *result,
                                          gpointer    user_data);
gboolean  al_store_read_work       (AlStore     *store,
                                    const char  *annotator,
                                    AlStoreTaskRowFunc   on_task,
                                    AlStoreResultRowFunc on_result,
                                    gpointer     user_data,
                                    GError     **error);

/* A participant's history as a work record reads it. */
typedef struct
{
  char *type;      /* an event type, or "result" */
  gint64 at_ms;    /* when the server received it */
} AlStoreMoment;

typedef struct
{
  char *kind;
  gint64 submitted_ms;
  gint64 task_ms;  /* lead time, no longer than the server held the lease */
  json_t *score;   /* or NULL */
  json_t *task;    /* the task's data */
  json_t *result;  /* the result as submitted, or NULL */
} AlStoreResultRow;

/* Events and results of @user_id in the order received. */
GPtrArray *al_store_list_moments   (AlStore     *store,
                                    gint64       user_id);
/* Results of @user_id in the order submitted. */
GPtrArray *al_store_list_result_rows (AlStore   *store,
                                      gint64     user_id,
                                      GError   **error);

/* Session events, as sent by workstations. */
gboolean  al_store_add_event       (AlStore     *store,
                                    const AlUser *user,
                                    const char  *type,
                                    gint64       at_ms,
                                    json_t      *data,
                                    GError     **error);

/* Proposals: a model's draft of a task (docs/proposals.md), one per task,
 * kept beside it. A lease hands it out with the task, except on tasks with
 * a gold answer. */
typedef struct
{
  gint64 seq;
  AlTask *task;      /* without its proposal */
  char *dataset;     /* the import's name, or NULL */
  gboolean gold;     /* gold or practice: the proposal is never shown */
  json_t *proposal;  /* the stored one, or NULL */
} AlStoreProposalRow;

void      al_store_proposal_row_free (AlStoreProposalRow *row);
/* Every task that is not set aside, with its proposal, by task number;
 * only @dataset's when given (NOT_FOUND when there is none by that name). */
GPtrArray *al_store_list_proposals (AlStore     *store,
                                    const char  *dataset,
                                    GError     **error);
/* Stores the proposal of each row (AlStoreProposalRow: seq and proposal,
 * which names its "model" and "version") in one transaction, all or
 * nothing. A task that has one keeps it unless @replace. */
gboolean  al_store_put_proposals   (AlStore     *store,
                                    GPtrArray   *rows,
                                    gboolean     replace,
                                    guint       *stored,
                                    GError     **error);
/* How much of @user_id's results since @since_ms was a model's: {"tasks"
 * made from a proposal, "items" (words or boxes) in them, "accepted" as
 * proposed, "share_accepted" (0-1, or null)}. */
json_t   *al_store_proposal_use    (AlStore     *store,
                                    gint64       user_id,
                                    gint64       since_ms);

/* Workstation side: drafts typed but not yet submitted. */
gboolean  al_store_save_draft      (AlStore     *store,
                                    const char  *task_id,
                                    json_t      *draft,
                                    GError     **error);
json_t   *al_store_load_draft      (AlStore     *store,
                                    const char  *task_id);
gboolean  al_store_clear_draft     (AlStore     *store,
                                    const char  *task_id,
                                    GError     **error);

/* Workstation side: what waits to be sent to the lab server. A row stays
 * until the server acknowledged it; a row the server refused for good is
 * kept with its error, never dropped. */
gint64    al_store_outbox_add      (AlStore     *store,
                                    const char  *kind,
                                    json_t      *body,
                                    GError     **error);
gboolean  al_store_outbox_next     (AlStore     *store,
                                    gint64       now_ms,
                                    gint64      *id,
                                    char       **kind,
                                    json_t     **body,
                                    int         *attempts);
void      al_store_outbox_done     (AlStore     *store,
                                    gint64       id);
void      al_store_outbox_retry    (AlStore     *store,
                                    gint64       id,
                                    gint64       next_attempt_ms);
void      al_store_outbox_fail     (AlStore     *store,
                                    gint64       id,
                                    const char  *message);
gint64    al_store_outbox_pending  (AlStore     *store);
gint64    al_store_outbox_due      (AlStore     *store,
                                    gint64       now_ms);
GPtrArray *al_store_outbox_handed_in (AlStore   *store,
                                      const char *field);
gint64    al_store_outbox_results  (AlStore     *store,
                                    gboolean     refused,
                                    gint64       since_ms);

/* Workstation side: small named state such as the pacing session. */
gboolean  al_store_set_session     (AlStore     *store,
                                    const char  *key,
                                    const char  *value,
                                    GError     **error);
char     *al_store_get_session     (AlStore     *store,
                                    const char  *key,
                                    gint64      *updated_ms);

char     *al_format_time_iso       (gint64       ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlUser, al_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlStore, al_store_unref)

G_END_DECLS
