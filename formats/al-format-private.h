/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-export.h"

G_BEGIN_DECLS

/* One participant's last result for a task, as an export collects it. */
typedef struct
{
  gint64 user_id;
  char *name;
  json_t *result;
} AlExportAnswer;

/* The consensus of the classification tasks of @export: @answers holds
 * per task a GPtrArray of AlExportAnswer, @consensus per task its
 * consensus AlExportItem (or NULL), whose result and extra it fills. */
void     al_export_classify_consensus (AlExport  *export,
                                       GPtrArray *answers,
                                       GPtrArray *consensus);

gboolean al_format_fail      (GError         **error,
                              int              code,
                              const char      *format,
                              ...) G_GNUC_PRINTF (3, 4);
void     al_format_note      (AlImportOptions *options,
                              const char      *format,
                              ...) G_GNUC_PRINTF (2, 3);

/* Parses one JSON document; errors name @name, line and column. */
json_t  *al_format_load_json (const char      *text,
                              gsize            length,
                              const char      *name,
                              GError         **error);

/* "DATASET-ID". */
char    *al_format_task_id   (AlImportOptions *options,
                              const char      *id);
/* A media path from a file: URLs stay, relative paths point into
 * @images_dir (by base name) or @base_dir. */
char    *al_format_resolve   (const char      *path,
                              const char      *base_dir,
                              const char      *images_dir);
/* Whether @path resolves to a regular file inside @root (resolved),
 * before anything reads it; a FIFO or a device would block or never end. */
gboolean al_format_confined  (const char      *path,
                              const char      *root,
                              const char      *name,
                              const char      *record,
                              GError         **error);
/* Plain instructions in Dutch and English for tasks without their own. */
json_t  *al_format_instructions (AlTaskKind    kind,
                                 json_t       *labels);
/* Turns a native task object into a task; errors are prefixed with
 * "@name, @record: ". Steals @object. */
/* The question of a classification task: @question for both languages,
 * else "Which fits?" with how to answer. */
json_t  *al_format_question  (const char      *question,
                              gboolean         multiple);
AlTask  *al_format_task_new  (json_t          *object,
                              const char      *name,
                              const char      *record,
                              GError         **error);

G_END_DECLS
