/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <jansson.h>

G_BEGIN_DECLS

#ifndef AL_JSON_AUTOPTR_DEFINED
#define AL_JSON_AUTOPTR_DEFINED
G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)
#endif

typedef enum
{
  AL_TASK_KIND_BBOX,
  AL_TASK_KIND_TRANSCRIBE,
  AL_TASK_KIND_CLASSIFY,
  AL_TASK_KIND_SUBTITLE_REVIEW,
  AL_TASK_KIND_VIDEO_BOXES,
  AL_TASK_N_KINDS,
} AlTaskKind;

/* What a task shows or plays. */
typedef enum
{
  AL_TASK_MEDIA_IMAGE,
  AL_TASK_MEDIA_AUDIO,
  AL_TASK_MEDIA_VIDEO,
} AlTaskMedia;

#define AL_TASK_MAX_CHOICES 9

#define AL_TASK_ERROR (al_task_error_quark ())
GQuark al_task_error_quark (void);

typedef enum
{
  AL_TASK_ERROR_INVALID,
  AL_TASK_ERROR_MEDIA,
} AlTaskError;

/* One micro-task as the workstation sees it. Media is an absolute local
 * path or a URL; coordinates are image pixels, times are seconds. */
typedef struct
{
  char *id;
  AlTaskKind kind;
  AlTaskMedia media_type;   /* bbox: image, transcribe: audio, classify: either or video */
  char *media;
  char **labels;            /* bbox, video-boxes: label names, NULL-terminated */
  int width;                /* bbox: image size in pixels, 0 if unknown */
  int height;
  char *instructions_nl;
  char *instructions_en;
  double start;             /* transcribe: segment start, seconds */
  double end;               /* transcribe: segment end; 0 means to the end */
  char *language;           /* transcribe: "nl", "en", ... */
  int segment_index;        /* 1-based position in its recording, 0 if unknown */
  int segment_count;
  char **markup;            /* transcribe: insertable marks such as "[inaudible]" */
  char **choices;           /* classify: the answers offered, at most 9, NULL-terminated */
  gboolean multiple;        /* classify: more than one choice may apply */
  char *subtitle;           /* subtitle-review: the cue's text as it stands */
  double fps;               /* video-boxes: frames per second, 0 if unknown */
  json_t *gold;             /* the known answer, or NULL */
  gboolean training;        /* explained to the participant after submit */
  int overlap;              /* how many different people should do it; 0 means 1 */
  char *explanation_nl;     /* worked explanation for training tasks */
  char *explanation_en;
  json_t *source;           /* where an imported task came from, kept for export */
  json_t *proposal;         /* a model's first pass ({"model", "version", "text" and "words",
                             * or "boxes"}), never on gold tasks; NULL if none */

  /* Set by the queue that handed the task out. */
  char *lease_id;
  gint64 lease_expires_ms;
  int number_today;         /* "task 7 today" */
} AlTask;

GType        al_task_get_type         (void) G_GNUC_CONST;
AlTask      *al_task_ref              (AlTask      *task);
void         al_task_unref            (AlTask      *task);

AlTask      *al_task_new_from_json    (json_t      *object,
                                       const char  *base_dir,
                                       GError     **error);
json_t      *al_task_to_json          (const AlTask *task);

const char  *al_task_kind_to_string   (AlTaskKind   kind);
/* The member that names the media: "image", "audio" or "video". */
const char  *al_task_media_key        (const AlTask *task);
/* TRUE for the tasks that are listened to (transcription, and
 * classification or subtitle review of a recording): voice mode is
 * routed to these. */
gboolean     al_task_is_listening     (const AlTask *task);
gboolean     al_task_kind_from_string (const char  *str,
                                       AlTaskKind  *kind);
const char  *al_task_instructions     (const AlTask *task,
                                       const char  *language);
const char  *al_task_explanation      (const AlTask *task,
                                       const char  *language);
gboolean     al_task_validate_result  (const AlTask *task,
                                       json_t      *result,
                                       GError     **error);

/* A model's proposal for this task in the shape of docs/proposals.md:
 * its items fit the task (labels, choices, inside the image when its
 * size is known) and confidences run from 0 to 1. */
gboolean     al_task_validate_proposal (const AlTask *task,
                                        json_t       *proposal,
                                        GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlTask, al_task_unref)

/* Small readers for outside JSON: TRUE only when the member is there and
 * of the right type (an integer; an array of exactly @n numbers). */
gboolean al_json_get_int64   (json_t     *object,
                              const char *key,
                              gint64     *out);
gboolean al_json_get_numbers (json_t     *array,
                              double     *out,
                              gsize       n);

G_END_DECLS
