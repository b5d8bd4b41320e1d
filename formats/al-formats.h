/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdio.h>

#include "al-store.h"
#include "al-task.h"

G_BEGIN_DECLS

#define AL_FORMAT_ERROR (al_format_error_quark ())
GQuark al_format_error_quark (void);

typedef enum
{
  AL_FORMAT_ERROR_PARSE,     /* malformed input: the message names file and record */
  AL_FORMAT_ERROR_TOO_LARGE,
  AL_FORMAT_ERROR_MISMATCH,  /* input that does not fit the tasks in the database */
  AL_FORMAT_ERROR_UNKNOWN,   /* no such format, or it cannot be guessed */
  AL_FORMAT_ERROR_IO,
  AL_FORMAT_ERROR_MEDIA,     /* a media file that is missing, outside the dataset or unreadable */
} AlFormatError;

/* Caps on outside input. */
#define AL_FORMAT_MAX_FILE    ((gsize) 512 * 1024 * 1024)
#define AL_FORMAT_MAX_RECORDS 1000000
#define AL_FORMAT_MAX_LABELS  1000
#define AL_FORMAT_MAX_BOXES   1000
#define AL_FORMAT_MAX_TEXT    (64 * 1024)

typedef struct
{
  double start;
  double end;
} AlAudioPiece;

/* Cuts a recording into pieces of speech. Sets @duration (seconds) and
 * returns AlAudioPiece items; one piece or none means "keep it whole". */
typedef GArray *(*AlSplitFunc) (const char *path,
                                double     *duration,
                                gpointer    user_data,
                                GError    **error);

/* Whether a recording decodes; for a check deeper than its header. */
typedef gboolean (*AlMediaCheckFunc) (const char *path,
                                      gpointer    user_data,
                                      GError    **error);

/* What the check of a video found out. */
typedef struct
{
  double fps;
  double duration;
  int width;
  int height;
} AlVideoCheckInfo;

/* Whether a video decodes, and its rate and size. */
typedef gboolean (*AlVideoCheckFunc) (const char       *path,
                                      gpointer          user_data,
                                      AlVideoCheckInfo *info,
                                      GError          **error);

typedef struct
{
  const char *dataset;      /* prefix of the task ids */
  const char *images_dir;   /* image files live here instead of beside the file */
  const char *media_root;   /* every media file must be inside this folder; NULL: inside
                             * images_dir, else beside the imported file */
  char      **labels;       /* label names every image task offers (Label Studio) */
  const char *language;     /* audio: "nl" when NULL */
  int         overlap;      /* how many people do each task; 0 keeps the file's */
  AlSplitFunc split;        /* audio folder: cut long recordings, or NULL */
  gpointer    split_data;
  GPtrArray  *notes;        /* receives notes for the user (char *), or NULL */
  AlMediaCheckFunc check_audio; /* decodes a recording, or NULL for the header check only */
  gpointer    check_data;
  const char *const *choices; /* classification: the choices of a media list or a Label Studio
                             * file without a labelling config */
  gboolean    multiple;     /* classification: more than one choice may apply */
  const char *question;     /* classification: the question, for both languages */
  const char *config;       /* Label Studio: the project's labelling config (XML), or NULL */
  const char *media;        /* subtitles: the programme's recording or video */
  const char *gold;         /* subtitles: the same cues as they should be, or NULL */
  AlVideoCheckFunc check_video; /* video-boxes: decodes the video and reads its frame rate;
                             * without it such tasks must give "fps" */
} AlImportOptions;

/* Reads a whole file with a size cap; the text is NUL-terminated and, if
 * @utf8, checked to be UTF-8. */
char      *al_format_read_file     (const char        *path,
                                    gsize              max,
                                    gboolean           utf8,
                                    gsize             *length,
                                    GError           **error);

/* Native JSONL, COCO, Label Studio, audio folder or trn, from the name and,
 * for .json, the first bytes. Returns NULL when it cannot tell. */
const char *al_format_guess        (const char        *path,
                                    GError           **error);

/* Parses @path as @format (NULL: guess) and imports the tasks in one
 * transaction. Every local media file must be a readable image or
 * recording inside the dataset's folder (see AlImportOptions.media_root),
 * which is registered as a folder the server may serve from. trn sets
 * gold transcripts on tasks already imported.
 * @count receives the number of tasks imported or given gold. */
gboolean   al_format_import        (AlStore           *store,
                                    const char        *path,
                                    const char        *format,
                                    AlImportOptions   *options,
                                    guint             *count,
                                    GError           **error);

/* Parsers, for tests and fuzzing. @name is the file name used in messages,
 * @base_dir is where relative media paths point. */
GPtrArray *al_coco_parse           (const char        *text,
                                    gsize              length,
                                    const char        *name,
                                    const char        *base_dir,
                                    AlImportOptions   *options,
                                    GError           **error);
GPtrArray *al_labelstudio_parse    (const char        *text,
                                    gsize              length,
                                    const char        *name,
                                    const char        *base_dir,
                                    AlImportOptions   *options,
                                    GError           **error);
/* A WebVTT or SRT file of the programme @options->media: one subtitle
 * review per cue, with gold from @options->gold when given. Refuses a
 * cue that ends before it starts or after the end of a WAV programme. */
GPtrArray *al_subtitle_review_read (const char        *path,
                                    AlImportOptions   *options,
                                    GError           **error);
/* A list of media to classify, CSV with a header row or JSONL: per
 * record "image", "audio" or "video" (or "media", told by its extension),
 * optional "id", "start", "end", "gold" and "choices" ("a|b" in CSV); the
 * other choices and the question come from @options. */
GPtrArray *al_media_list_read      (const char        *path,
                                    AlImportOptions   *options,
                                    GError           **error);
/* Label Studio's labelling config: the <Choices> of a classification
 * project, whether several may apply, and the <Header> as the question. */
gboolean   al_labelstudio_read_config (const char     *path,
                                       GStrv          *choices,
                                       gboolean       *multiple,
                                       char          **question,
                                       GError        **error);
GPtrArray *al_audio_folder_read    (const char        *dir,
                                    AlImportOptions   *options,
                                    GError           **error);

typedef struct
{
  char *id;
  char *text;
  guint line;
} AlGoldLine;

/* "text (id)" lines; returns AlGoldLine items. */
GPtrArray *al_trn_gold_parse       (const char        *text,
                                    gsize              length,
                                    const char        *name,
                                    GError           **error);
/* Sets each line's text as the gold answer of the transcription task with
 * that id, all or nothing. */
/* CVAT for video 1.1 XML as the gold tracks of one video-boxes task on
 * options->media. */
/* The tracks of CVAT video XML text, their keyframes' t still frame
 * numbers; the labels of <meta> are added to @labels (char *) unless NULL.
 * Errors name @name, the line and the track. */
GPtrArray *al_cvat_video_parse     (const char        *text,
                                    gsize              length,
                                    const char        *name,
                                    GPtrArray         *labels,
                                    GError           **error);
GPtrArray *al_cvat_video_read      (const char        *path,
                                    AlImportOptions   *options,
                                    GError           **error);
gboolean   al_trn_gold_apply       (AlStore           *store,
                                    GPtrArray         *lines,
                                    const char        *name,
                                    GError           **error);

/* Image size from the first bytes of a PNG, JPEG, GIF or BMP file. */
gboolean   al_image_size_parse     (const guint8      *data,
                                    gsize              length,
                                    int               *width,
                                    int               *height);
gboolean   al_image_size           (const char        *path,
                                    int               *width,
                                    int               *height);
/* Whether the first bytes are those of a WAV, FLAC, Ogg, MP3 or MP4 file. */
gboolean   al_audio_header_parse   (const guint8      *data,
                                    gsize              length);
/* Checks the local media of @tasks against @root (a resolved folder): see
 * al_format_import. @name prefixes the messages. */
gboolean   al_format_check_media   (AlStore           *store,
                                    GPtrArray         *tasks,
                                    const char        *root,
                                    const char        *name,
                                    AlImportOptions   *options,
                                    GError           **error);
/* Length of a PCM WAV file in seconds, from its header; 0 if unknown. */
double     al_wav_duration         (const char        *path);

G_END_DECLS
