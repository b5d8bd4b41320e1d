/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <jansson.h>

G_BEGIN_DECLS

/* The twelve numbers of pycocotools' COCOeval.summarize() for bbox, in its
 * order; -1 where a number is undefined (no ground truth in that range). */
typedef enum
{
  AL_COCO_AP, AL_COCO_AP50, AL_COCO_AP75, AL_COCO_AP_SMALL, AL_COCO_AP_MEDIUM,
  AL_COCO_AP_LARGE, AL_COCO_AR1, AL_COCO_AR10, AL_COCO_AR100, AL_COCO_AR_SMALL,
  AL_COCO_AR_MEDIUM, AL_COCO_AR_LARGE, AL_COCO_N_STATS
} AlCocoStat;

/* Largest JSON file the COCO readers accept. */
#define AL_COCO_MAX_FILE (256 * 1024 * 1024)

const char *al_coco_stat_name   (AlCocoStat    stat);

/* @gt is a COCO dataset object; @dt a COCO results list (or an object with
 * "annotations"). */
gboolean    al_coco_eval        (json_t       *gt,
                                 json_t       *dt,
                                 double        stats[AL_COCO_N_STATS],
                                 GError      **error);
gboolean    al_coco_eval_files  (const char   *gt_path,
                                 const char   *dt_path,
                                 double        stats[AL_COCO_N_STATS],
                                 GError      **error);
/* The twelve lines summarize() prints. */
char       *al_coco_format      (const double  stats[AL_COCO_N_STATS]);

/* Reads a JSON file with a size cap; errors name the file, line and column. */
json_t     *al_coco_load_json   (const char   *path,
                                 GError      **error);

G_END_DECLS
