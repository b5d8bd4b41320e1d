/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-export.h"

G_BEGIN_DECLS

/* What the export formats share. The formats use these and the dispatcher
 * (al-export.c) uses the formats, never the other way round. */

/* Image size of a bbox task: from the task, or else from the image file. */
gboolean al_export_image_size (AlTask       *task,
                               GError      **error);
/* Annotator names made safe as file names. */
char    *al_export_safe_name  (const char   *name);
/* Base name of a task's media without extension. */
char    *al_export_media_stem (const AlTask *task);

/* The folder @name (an AlExportItem's folder) for an annotator's files
 * (DIR itself for a single export), created; and a file name in it not
 * handed out before. */
char    *al_export_folder     (const char   *dir,
                               gboolean      single,
                               const char   *name,
                               GError      **error);
char    *al_export_file_name  (GHashTable   *used,
                               const char   *folder,
                               const char   *stem,
                               const char   *ext);
gboolean al_export_write      (const char   *path,
                               const char   *text,
                               gssize        length,
                               GError      **error);

G_END_DECLS
