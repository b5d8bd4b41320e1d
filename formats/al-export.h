/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-formats.h"

G_BEGIN_DECLS

/* One answer to export: a participant's result, or the merged result of
 * everyone who did the task. */
typedef struct
{
  AlTask *task;        /* borrowed from AlExport.tasks */
  char *annotator;     /* participant name, or "consensus" */
  const char *folder;  /* the annotator's folder or file name, unique; borrowed */
  gint64 annotator_id; /* 0 for consensus */
  guint n_annotators;  /* how many results went into it */
  json_t *result;      /* {"boxes": [...]}, {"text": ...} or {"choices": [...]} */
  json_t *extra;       /* consensus of a classification: "majority", "confidence" and
                        * "annotator_accuracy" (Dawid-Skene), or NULL */
} AlExportItem;

typedef struct
{
  GPtrArray *tasks;    /* AlTask, every task in import order */
  GPtrArray *items;    /* AlExportItem, by task, then annotator */
  gboolean consensus;
  gboolean single;     /* consensus or one annotator: no per-annotator split */
  GHashTable *folders; /* annotator → folder name */
} AlExport;

typedef struct
{
  gboolean consensus;       /* merge several results per task */
  const char *annotator;    /* only this participant's results */
  double iou_threshold;     /* box consensus; 0 means AL_BOX_DEFAULT_IOU */
} AlExportOptions;

AlExport  *al_export_collect      (AlStore               *store,
                                   const AlExportOptions *options,
                                   GError               **error);
void       al_export_free         (AlExport              *export);

/* Merges several results of one task (ROVER for text, box consensus). */
json_t    *al_export_merge        (const AlTask          *task,
                                   json_t *const         *results,
                                   guint                  n_results,
                                   double                 iou_threshold);

/* Classification results as CSV: task, media, participant and choices. */
gboolean   al_export_csv          (AlExport              *export,
                                   FILE                  *out,
                                   GError               **error);
/* Formats that write one file (stdout when @path is NULL). */
gboolean   al_export_jsonl        (AlExport              *export,
                                   FILE                  *out,
                                   GError               **error);
gboolean   al_export_coco         (AlExport              *export,
                                   FILE                  *out,
                                   GError               **error);
gboolean   al_export_labelstudio  (AlExport              *export,
                                   FILE                  *out,
                                   GError               **error);
gboolean   al_export_trn          (AlExport              *export,
                                   const char            *annotator,
                                   FILE                  *out,
                                   GError               **error);
/* Formats that write a folder of files, per annotator in sub-folders unless
 * the export is @single. */
gboolean   al_export_yolo         (AlExport              *export,
                                   const char            *dir,
                                   GError               **error);
gboolean   al_export_voc          (AlExport              *export,
                                   const char            *dir,
                                   GError               **error);
gboolean   al_export_subtitles    (AlExport              *export,
                                   const char            *dir,
                                   gboolean               srt,
                                   GError               **error);

/* Video tracks, one file per task: CVAT for video 1.1 XML or (@mot)
 * MOTChallenge text. */
gboolean   al_export_video_tracks (AlExport              *export,
                                   const char            *dir,
                                   gboolean               mot,
                                   GError               **error);

/* Writes @format to @output (a file, a folder, or NULL for stdout). */
gboolean   al_format_export       (AlStore               *store,
                                   const char            *format,
                                   const AlExportOptions *options,
                                   const char            *output,
                                   GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlExport, al_export_free)

G_END_DECLS
